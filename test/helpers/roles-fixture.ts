import { expect } from 'vitest';
import { startOssServer, type OssServer } from '../../main/demo/oss-server/index.js';
import { DEMO_ACCOUNT_ID } from '../../main/demo/provider/users.js';
import {
  DEMO_SECOND_ACCOUNT_ID,
  secondAccountBuckets,
  startStsServer,
  type StsServer,
} from '../../main/demo/sts-server/index.js';
import { StsRegistry } from '../../main/demo/sts-registry.js';
import { createDemoTls } from '../../main/demo/tls.js';
import type { CliResult, CliRun } from './cli.js';
import { customProfileArgs, startFixture, type Fixture } from './signin-fixture.js';

export const ROLE_A = `acs:ram::${DEMO_ACCOUNT_ID}:role/demo-reader`;
export const ROLE_B = `acs:ram::${DEMO_SECOND_ACCOUNT_ID}:role/cross-account-admin`;

export interface RolesFixture extends Fixture {
  sts: StsRegistry;
  stsServer: StsServer;
  oss: OssServer;
  /** Runs the CLI and expects exit 0. */
  ok(args: string[], run?: CliRun): Promise<CliResult>;
  close(): Promise<void>;
}

/**
 * The whole demo site over HTTPS with one CA: the OpenID provider (its /v1/exchange), the STS
 * server (AssumeRole) and the OSS server (20 buckets for account 1, three for account 2), all on
 * one StsRegistry; a fresh data dir, and the custom profile `user` signed in as alice.
 */
export async function startRolesFixture(): Promise<RolesFixture> {
  const tls = await createDemoTls();
  const sts = new StsRegistry();
  const fx = (await startFixture({ tls, sts })) as RolesFixture;
  fx.sts = sts;
  fx.stsServer = await startStsServer({ sts, tls, users: fx.provider.users });
  fx.oss = await startOssServer({
    sts,
    tls,
    seed: { count: 20, seed: 9 },
    accounts: [{ id: DEMO_SECOND_ACCOUNT_ID, buckets: secondAccountBuckets() }],
  });
  fx.ok = async (args, run) => {
    const result = await fx.cli(args, run);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result;
  };
  fx.close = async () => {
    await Promise.all([fx.oss.close(), fx.stsServer.close(), fx.provider.close()]);
  };
  await fx.ok(customProfileArgs(fx.provider, 'user', ['--oss-endpoint', fx.oss.url]));
  await fx.ok(['login', 'user']);
  return fx;
}
