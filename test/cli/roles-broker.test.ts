import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SECOND_ACCOUNT_ID } from '../../main/demo/sts-server/index.js';
import { freePort } from '../helpers/broker-fixture.js';
import { HAS_KEYRING } from '../helpers/signin-fixture.js';
import { ROLE_A, ROLE_B, startRolesFixture, type RolesFixture } from '../helpers/roles-fixture.js';

// A role profile served by the running broker (CredentialsURI and the local channel), and the
// broker refusing it once its source signs out.

let fx: RolesFixture;
let serve: ReturnType<RolesFixture['cli']> | undefined;

beforeAll(async () => {
  fx = await startRolesFixture();
  fx.env.ALICLOUD_SIGNIN_BROKER_PORT = String(await freePort());
  await fx.ok([
    'profile',
    'add',
    'roleA',
    '--assume-role',
    ROLE_A,
    '--from',
    'user',
    '--sts-endpoint',
    fx.stsServer.url,
  ]);
  await fx.ok(['profile', 'add', 'roleB', '--assume-role', ROLE_B, '--from', 'roleA']);
}, 60_000);
afterAll(async () => {
  serve?.child.kill('SIGTERM');
  await serve;
  await fx?.close();
});

async function startServe(): Promise<void> {
  serve = fx.cli(['serve'], { timeoutMs: 5 * 60_000 });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
    serve!.child.stderr?.on('data', (chunk: Buffer | string) => {
      stderr += String(chunk);
      if (stderr.includes('Broker running')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

describe.skipIf(!HAS_KEYRING)('role profiles through the broker', () => {
  it('serves role B over CredentialsURI and the local channel, and refuses it once the source signs out', async () => {
    await startServe();
    const url = (await fx.ok(['broker', 'url', 'roleB'])).stdout.trim();
    const first = await fetch(url);
    expect(first.status).toBe(200);
    const body = (await first.json()) as { Code: string; AccessKeyId: string; Expiration: string };
    expect(body.Code).toBe('Success');
    expect(fx.sts.lookup(body.AccessKeyId)?.accountId).toBe(DEMO_SECOND_ACCOUNT_ID);
    expect(body.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The local channel answers `credentials` from the same cache: the same keys.
    const local = JSON.parse((await fx.ok(['credentials', 'roleB', '--format', 'json'])).stdout) as {
      accessKeyId: string;
    };
    expect(local.accessKeyId).toBe(body.AccessKeyId);
    const assumed = fx.stsServer.stats.assumed;

    await fx.ok(['logout', 'user']);
    let refused: Response | undefined;
    // The broker sees the profiles file change (a watch, and at most 2 s of cache).
    for (let i = 0; i < 40; i++) {
      refused = await fetch(url);
      if (refused.status !== 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refused?.status).toBe(401);
    const failure = (await refused!.json()) as { Code: string; Message: string };
    expect(failure.Code).toBe('NotSignedIn');
    expect(failure.Message).toContain('roleB');
    expect(fx.stsServer.stats.assumed).toBe(assumed);
  });
});
