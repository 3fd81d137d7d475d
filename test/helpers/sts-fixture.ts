import { Agent, fetch as undiciFetch } from 'undici';
import { expect } from 'vitest';
import { startOssServer, type OssServer } from '../../main/demo/oss-server/index.js';
import { StsRegistry, type IssuedSts } from '../../main/demo/sts-registry.js';
import { createDemoTls } from '../../main/demo/tls.js';
import type { CliResult } from './cli.js';
import {
  customProfileArgs,
  errorCode,
  keychainLookup,
  profileId,
  startFixture,
  type Fixture,
} from './signin-fixture.js';

/** Remembers every set of credentials the demo exchange issued, so tests can age or inspect them. */
export class TrackingRegistry extends StsRegistry {
  readonly issued: IssuedSts[] = [];
  override issue(subject: string, accountId: string, ttlSeconds: number, now?: number): IssuedSts {
    const sts = super.issue(subject, accountId, ttlSeconds, now);
    this.issued.push(sts);
    return sts;
  }
}

export interface StsFixture extends Fixture {
  oss: OssServer;
  sts: TrackingRegistry;
  /** Added to the OSS server's clock only. */
  ossAhead: number;
  /** Runs once when the OSS server receives its n-th request (counted from when it was set). */
  onOssRequest(n: number, action: () => void): void;
  /** Signs in the profile through $BROWSER (the demo login page). */
  login(name: string): Promise<void>;
  /**
   * Revokes the profile's grant at the site with the refresh token from the keychain, as another
   * device would. Give the profile id when timing matters (finding it runs the CLI).
   */
  revokeGrant(name: string, id?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The demo site and the demo OSS server over HTTPS with one CA (the CLI trusts it through
 * NODE_EXTRA_CA_CERTS), sharing the STS registry, seeded with `count` buckets; one custom profile
 * `demo` pointing at both, signed in.
 */
export async function startStsFixture(count: number): Promise<StsFixture> {
  const tls = await createDemoTls();
  const sts = new TrackingRegistry();
  const base = await startFixture({ tls, sts });
  let trigger: { at: number; action: () => void } | undefined;
  const fx = base as StsFixture;
  fx.sts = sts;
  fx.ossAhead = 0;
  fx.oss = await startOssServer({
    sts,
    tls,
    seed: { count, seed: 11 },
    // Called at the start of every request, before the server looks at its fault switch.
    now: () => {
      if (trigger && fx.oss.requests >= trigger.at) {
        const { action } = trigger;
        trigger = undefined;
        action();
      }
      return Date.now() + fx.ossAhead;
    },
  });
  fx.onOssRequest = (n, action) => {
    trigger = { at: fx.oss.requests + n, action };
  };
  fx.login = async (name) => {
    const result = await fx.cli(['login', name]);
    expect(result.code, result.stderr).toBe(0);
  };
  const agent = new Agent({ connect: { ca: tls.ca } });
  fx.revokeGrant = async (name, id) => {
    const token = await keychainLookup(id ?? (await profileId(fx, name)));
    if (!token) throw new Error('no refresh token in the keychain');
    const response = await undiciFetch(fx.provider.endpoints.revocation, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: fx.provider.clientId }).toString(),
      dispatcher: agent,
    });
    expect(response.status).toBe(200);
  };
  fx.close = async () => {
    await fx.oss.close();
    await fx.provider.close();
    await agent.close();
  };
  const added = await fx.cli(customProfileArgs(fx.provider, 'demo', ['--oss-endpoint', fx.oss.url]));
  expect(added.code, added.stderr).toBe(0);
  await fx.login('demo');
  return fx;
}

/** A failed run: its code on stderr in one line, nothing on stdout, no stack trace, no secret. */
export function expectFailure(result: CliResult, code: string, secrets: readonly string[] = []): string {
  expect(errorCode(result), result.stderr).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.code).not.toBe(0);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  for (const secret of secrets) expect(result.stderr).not.toContain(secret);
  return /error [A-Z_]+: (.*)/.exec(result.stderr)?.[1] ?? '';
}

/** Every secret the exchange handed out so far. */
export function issuedSecrets(sts: TrackingRegistry): string[] {
  return sts.issued.flatMap((s) => [s.accessKeySecret, s.securityToken]);
}
