import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DemoProviderOptions } from '../../main/demo/provider/index.js';
import { startOssServer, type OssServer } from '../../main/demo/oss-server/index.js';
import { StsRegistry, type IssuedSts } from '../../main/demo/sts-registry.js';
import type { CliResult, CliRun } from './cli.js';
import { customProfileArgs, profileId, startFixture, type Fixture } from './signin-fixture.js';

export interface ServeHandle {
  child: ReturnType<Fixture['cli']>['child'];
  done: Promise<CliResult>;
  stderr(): string;
  stop(): Promise<CliResult>;
}

export interface BrokerFixture extends Fixture {
  oss: OssServer;
  sts: StsRegistry;
  /** Every set of STS credentials the demo site issued, to search leaks for. */
  issued: IssuedSts[];
  port: number;
  /** The profile id of `name`. */
  id(name: string): Promise<string>;
  /** Runs `alicloud-signin serve` until stopped; resolves once it listens. */
  serve(): Promise<ServeHandle>;
  /** `broker url NAME`, checked to succeed. */
  url(name: string): Promise<string>;
  ok(args: string[], run?: CliRun): Promise<CliResult>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The demo site, a plain-HTTP demo OSS server sharing its STS registry, a fresh data dir with a
 * configured broker port, and one custom profile `demo`, signed in through $BROWSER.
 */
export async function startBrokerFixture(provider: DemoProviderOptions = {}): Promise<BrokerFixture> {
  const sts = new StsRegistry();
  const base = await startFixture({ ...provider, sts });
  const fx = base as BrokerFixture;
  fx.sts = sts;
  fx.issued = [];
  const issue = sts.issue.bind(sts);
  sts.issue = (...args) => {
    const issued = issue(...args);
    fx.issued.push(issued);
    return issued;
  };
  fx.oss = await startOssServer({ sts, seed: { count: 3, seed: 5 } });
  fx.port = await freePort();
  fx.env.ALICLOUD_SIGNIN_BROKER_PORT = String(fx.port);
  // The aliyun CLI's file for these tests, never the real ~/.aliyun.
  fx.env.ALICLOUD_SIGNIN_ALIYUN_CONFIG = join(await mkdtemp(join(tmpdir(), 'aliyun-home-')), '.aliyun', 'config.json');
  fx.ok = async (args, run) => {
    const result = await fx.cli(args, run);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result;
  };
  fx.id = (name) => profileId(fx, name);
  fx.url = async (name) => (await fx.ok(['broker', 'url', name])).stdout.trim();
  fx.serve = async () => {
    const running = fx.cli(['serve'], { timeoutMs: 15 * 60_000 });
    let stderr = '';
    running.child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
      const check = () => {
        if (stderr.includes('Broker running')) {
          clearTimeout(timer);
          resolve();
        }
      };
      running.child.stderr?.on('data', check);
      void running.then((result) => {
        clearTimeout(timer);
        reject(new Error(`serve ended early (${result.code}): ${result.stderr}`));
      });
    });
    return {
      child: running.child,
      done: running,
      stderr: () => stderr,
      stop: async () => {
        running.child.kill('SIGTERM');
        return running;
      },
    };
  };
  fx.close = async () => {
    await fx.oss.close();
    await fx.provider.close();
  };
  await fx.ok(customProfileArgs(fx.provider, 'demo'));
  await fx.ok(['login', 'demo']);
  return fx;
}
