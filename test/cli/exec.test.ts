import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_OUTFILE } from '../../scripts/build-cli.mjs';
import { startBrokerFixture, type BrokerFixture, type ServeHandle } from '../helpers/broker-fixture.js';
import type { CliRun } from '../helpers/cli.js';
import { customProfileArgs, errorCode, HAS_KEYRING } from '../helpers/signin-fixture.js';

// `alicloud-signin exec` end to end: the built CLI, the real keychain, the demo site, and a real
// consumer in the command (test/helpers/exec-child.mjs: Alibaba's credentials SDK and ali-oss).

const CHILD = fileURLToPath(new URL('../helpers/exec-child.mjs', import.meta.url));
const NODE = process.execPath;
const URI = /^http:\/\/127\.0\.0\.1:(\d+)\/v1\/credentials\/[A-Za-z0-9_-]{8,64}\/[A-Za-z0-9_-]{43}$/;

let fx: BrokerFixture;
let childEnv: NodeJS.ProcessEnv;
beforeAll(async () => {
  if (!HAS_KEYRING) return;
  fx = await startBrokerFixture();
  childEnv = {
    // The SDK's chain also reads ~/.aliyun and ~/.alibabacloud, and asks ECS metadata: none of them here.
    HOME: await mkdtemp(join(tmpdir(), 'exec-home-')),
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    EXEC_TEST_OSS: fx.oss.url,
  };
});
afterAll(async () => fx?.close());

/** `exec ...args` with the child's test environment; `more` adds to it. */
function exec(args: string[], more: NodeJS.ProcessEnv = {}, run: CliRun = {}) {
  return fx.cli(['exec', ...args], { ...run, env: { ...childEnv, ...more } });
}

/** The one JSON line the child printed (the last one with `at` when it printed several). */
function report<T = Record<string, unknown>>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as T;
}

const STALE = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.stale',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'stale',
  ALIBABACLOUD_ACCESS_KEY_ID: 'stale',
  ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:1/stale',
};

describe.skipIf(!HAS_KEYRING)('alicloud-signin exec', () => {
  it('puts the profile’s STS keys in the command’s environment under every documented name', async () => {
    const result = await exec(['demo', '--', NODE, CHILD, 'report'], STALE);
    expect(result.code, result.stderr).toBe(0);
    const env = report<Record<string, string | null>>(result.stdout);
    const issued = fx.issued.find((sts) => sts.accessKeyId === env.ALIBABA_CLOUD_ACCESS_KEY_ID);
    expect(issued, 'keys the demo site issued').toBeDefined();
    expect(env).toEqual({
      ALIBABA_CLOUD_ACCESS_KEY_ID: issued!.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: issued!.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: issued!.securityToken,
      ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
      ALICLOUD_ACCESS_KEY: issued!.accessKeyId,
      ALICLOUD_SECRET_KEY: issued!.accessKeySecret,
      ALICLOUD_SECURITY_TOKEN: issued!.securityToken,
      ALICLOUD_REGION: 'cn-hangzhou',
      ALICLOUD_SIGNIN_PROFILE: 'demo',
      // What the shell held is gone: nothing points at other keys or another endpoint.
      ALIBABA_CLOUD_CREDENTIALS_URI: null,
      ALIBABACLOUD_ACCESS_KEY_ID: null,
    });
    // Nothing of exec's own on the command's stdout or stderr.
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toBe('');
  });

  it("Alibaba's credentials SDK reads the static keys, and ali-oss lists buckets with them", async () => {
    const result = await exec(['demo', '--', NODE, CHILD, 'sdk']);
    expect(result.code, result.stderr).toBe(0);
    const out = report<{ provider: string; accessKeyId: string; list: { ok: boolean; buckets: number } }>(
      result.stdout,
    );
    expect(out.provider).toBe('default/env');
    expect(fx.issued.some((sts) => sts.accessKeyId === out.accessKeyId)).toBe(true);
    expect(out.list).toEqual({ ok: true, buckets: 3 });
  });

  it('--server: only a loopback credentials URI, which the SDK reads; it ends with the command', async () => {
    const result = await exec(['demo', '--server', '--', NODE, CHILD, 'report'], STALE);
    expect(result.code, result.stderr).toBe(0);
    const env = report<Record<string, string | null>>(result.stdout);
    expect(env.ALIBABA_CLOUD_CREDENTIALS_URI).toMatch(URI);
    for (const name of [
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'ALIBABA_CLOUD_SECURITY_TOKEN',
    ])
      expect(env[name], name).toBeNull();
    for (const name of [
      'ALICLOUD_ACCESS_KEY',
      'ALICLOUD_SECRET_KEY',
      'ALICLOUD_SECURITY_TOKEN',
      'ALIBABACLOUD_ACCESS_KEY_ID',
    ])
      expect(env[name], name).toBeNull();
    expect(env.ALIBABA_CLOUD_REGION_ID).toBe('cn-hangzhou');
    expect(env.ALICLOUD_SIGNIN_PROFILE).toBe('demo');
    // Gone with the command: nothing listens there any more.
    await expect(fetch(env.ALIBABA_CLOUD_CREDENTIALS_URI as string)).rejects.toThrow();

    // The broker's answer shape, and its refusals: another secret, a web page, a POST, another host.
    const probe = await exec(['demo', '--server', '--', NODE, CHILD, 'probe']);
    expect(probe.code, probe.stderr).toBe(0);
    expect(report(probe.stdout)).toEqual({
      good: {
        status: 200,
        keys: ['Code', 'AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'Expiration'],
        expiration: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) as unknown,
      },
      wrongSecret: 403,
      origin: 403,
      post: 405,
      foreignHost: 421,
    });

    const sdk = await exec(['--server', 'demo', NODE, CHILD, 'sdk']);
    expect(sdk.code, sdk.stderr).toBe(0);
    const out = report<{ provider: string; list: unknown }>(sdk.stdout);
    expect(out.provider).toBe('default/credential_uri');
    expect(out.list).toEqual({ ok: true, buckets: 3 });
  });

  it('exits with the command’s status: its code, 128 + n for a signal, 127 when there is no such command', async () => {
    expect((await exec(['demo', '--', 'sh', '-c', 'exit 7'])).code).toBe(7);
    expect((await exec(['demo', '--', 'sh', '-c', 'exit 0'])).code).toBe(0);
    expect((await exec(['demo', '--', 'sh', '-c', 'kill -TERM $$'])).code).toBe(128 + 15);
    const missing = await exec(['demo', '--', 'no-such-command-for-exec-test']);
    expect(missing.code).toBe(127);
    expect(errorCode(missing)).toBe('INVALID_INPUT');
    expect(missing.stderr).toContain('"no-such-command-for-exec-test" was not found');
  });

  it('passes SIGTERM, SIGINT and SIGHUP on to the command, and exits with its status', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exec-signal-'));
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      const marker = join(dir, signal);
      const running = exec(['demo', '--', NODE, CHILD, 'trap', marker, '3']);
      await new Promise<void>((resolve) => {
        let seen = '';
        running.child.stdout?.on('data', (chunk: string) => {
          seen += chunk;
          if (seen.includes('ready')) resolve();
        });
      });
      running.child.kill(signal);
      const result = await running;
      expect(result.code, `${signal}: ${result.stderr}`).toBe(3);
      expect(await readFile(marker, 'utf8')).toBe(signal);
    }
  });

  it('refuses to run inside an exec for another profile, naming it, unless --force', async () => {
    await fx.ok(customProfileArgs(fx.provider, 'second'));
    const dir = await mkdtemp(join(tmpdir(), 'exec-nested-'));
    const marker = join(dir, 'ran');
    // A real nesting: exec for "demo" runs exec for "second", which must not run its command.
    const nested = await exec(['demo', '--', NODE, CLI_OUTFILE, 'exec', 'second', '--', 'touch', marker]);
    expect(nested.code).toBe(2);
    expect(errorCode(nested)).toBe('EXEC_NESTED');
    expect(nested.stderr).toContain('profile "demo"');
    expect(existsSync(marker)).toBe(false);

    // The same profile again is no nesting to speak of.
    const same = await exec(['demo', '--', NODE, CLI_OUTFILE, 'exec', 'demo', '--', 'touch', marker]);
    expect(same.code, same.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);

    // --force: the inner profile wins, and says so.
    const forced = await exec(['--force', 'demo', '--', NODE, CHILD, 'report'], { ALICLOUD_SIGNIN_PROFILE: 'prod' });
    expect(forced.code, forced.stderr).toBe(0);
    expect(report(forced.stdout).ALICLOUD_SIGNIN_PROFILE).toBe('demo');
  });

  it('a missing command or an unknown option is a usage error, and nothing runs', async () => {
    const bare = await exec(['demo']);
    expect(bare.code).toBe(2);
    expect(errorCode(bare)).toBe('INVALID_INPUT');
    expect(bare.stderr).toContain('exec -- demo');
    expect((await exec(['--'])).code).toBe(2);
    const unknown = await exec(['--servr', '--', 'true']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"--servr"');
  });

  it('no secret appears on any command line while the command runs', async () => {
    for (const mode of [[], ['--server']]) {
      const result = await exec(['demo', ...mode, '--', NODE, CHILD, 'scan']);
      expect(result.code, result.stderr).toBe(0);
      const out = report<{ secrets: number; scanned: number; found: string[] }>(result.stdout);
      expect(out.secrets).toBe(mode.length > 0 ? 1 : 2);
      expect(out.scanned).toBeGreaterThan(3);
      expect(out.found).toEqual([]);
    }
  });

  describe('with a broker running', () => {
    let broker: ServeHandle;
    beforeAll(async () => {
      broker = await fx.serve();
    });
    afterAll(async () => broker?.stop());

    it('takes the broker’s credentials (no exchange of its own), static and --server', async () => {
      await fx.ok(['credentials', 'demo']); // the broker holds credentials from here on
      const before = fx.issued.length;
      const plain = await exec(['demo', '--', NODE, CHILD, 'sdk']);
      expect(plain.code, plain.stderr).toBe(0);
      expect(report(plain.stdout).list).toEqual({ ok: true, buckets: 3 });
      const served = await exec(['--server', 'demo', '--', NODE, CHILD, 'sdk']);
      expect(served.code, served.stderr).toBe(0);
      expect(report(served.stdout)).toMatchObject({ provider: 'default/credential_uri', list: { ok: true } });
      expect(fx.issued.length).toBe(before);
      expect((await exec(['demo', '--', 'sh', '-c', 'exit 7'])).code).toBe(7);
    });
  });
});
