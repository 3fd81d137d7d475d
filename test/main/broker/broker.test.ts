import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerProof } from '../../../main/services/broker/handshake.js';
import { auditFile, endpointFile, settingsFile } from '../../../main/services/broker/paths.js';
import { ProfileStore } from '../../../main/services/store/profile-store.js';
import { HAS_KEYRING, keychainLookup } from '../../helpers/signin-fixture.js';
import { startBrokerFixture, type BrokerFixture, type ServeHandle } from '../../helpers/broker-fixture.js';
import { pathOf, rawRequest, talk } from '../../helpers/broker-http.js';

// The broker end to end: the built CLI's `serve` in the real keyring, Alibaba's Node SDK
// (@alicloud/credentials) and ali-oss as its consumers, the demo site and OSS server behind it.

const require = createRequire(import.meta.url);
const run = promisify(execFile);
const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const EXPIRATION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

interface Creds {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
}
type CredentialCtor = new (config?: Record<string, unknown>) => { getCredential(): Promise<Creds> };
const Credential = (require('@alicloud/credentials') as { default: CredentialCtor }).default;
type AliOss = new (options: Record<string, unknown>) => {
  listBuckets(q: object): Promise<{ buckets: { name: string }[] | null }>;
};
const OSS = require('ali-oss') as AliOss;

let fx: BrokerFixture;
let broker: ServeHandle;
beforeAll(async () => {
  if (!HAS_KEYRING) return;
  fx = await startBrokerFixture();
  broker = await fx.serve();
}, 120_000);
afterAll(async () => {
  await broker?.stop();
  await fx?.close();
});

async function listBuckets(creds: Creds): Promise<string[]> {
  const client = new OSS({
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    stsToken: creds.securityToken,
    region: 'oss-cn-hangzhou',
    endpoint: fx.oss.url,
    authorizationV4: true,
    refreshSTSToken: async () => ({ ...creds, stsToken: creds.securityToken }),
    refreshSTSTokenInterval: 3_600_000,
  });
  return ((await client.listBuckets({})).buckets ?? []).map((b) => b.name);
}

describe.skipIf(!HAS_KEYRING)('credential broker', () => {
  it('serves @alicloud/credentials over the credentials URI, and OSS accepts what it gets', async () => {
    const url = await fx.url('demo');
    expect(url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${fx.port}/v1/credentials/[A-Za-z0-9_-]{8,64}/[A-Za-z0-9_-]{43}$`),
    );
    const creds = await new Credential({ type: 'credentials_uri', credentialsURI: url }).getCredential();
    expect(fx.sts.lookup(creds.accessKeyId)?.securityToken).toBe(creds.securityToken);
    expect(await listBuckets(creds)).toHaveLength(3);

    const raw = await rawRequest(fx.port, pathOf(url));
    expect(raw.status).toBe(200);
    expect(raw.headers['cache-control']).toBe('no-store');
    const body = raw.json();
    expect(Object.keys(body)).toEqual(['Code', 'AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'Expiration']);
    expect(body).toMatchObject({ Code: 'Success', AccessKeyId: creds.accessKeyId });
    expect(body.Expiration).toMatch(EXPIRATION);
    expect(await keychainLookup(`broker-uri:${await fx.id('demo')}`)).toBe(pathOf(url).split('/').pop());
  });

  it('serves the External output the aliyun CLI and the SDKs run, from a CLI config linked by cli-config', async () => {
    const home = dirname(dirname(fx.env.ALICLOUD_SIGNIN_ALIYUN_CONFIG as string));
    const linked = await fx.ok(['cli-config', 'link', 'demo', '--as', 'signin']);
    expect(linked.stdout).toContain('"signin"');
    const config = JSON.parse(await readFile(join(home, '.aliyun', 'config.json'), 'utf8'));
    const profile = config.profiles.find((p: { name: string }) => p.name === 'signin');
    expect(profile).toMatchObject({ mode: 'External', process_command: expect.stringContaining(' credentials demo') });

    // Another program: the SDK's default chain reads ~/.aliyun/config.json and runs process_command.
    const { ALICLOUD_SIGNIN_HOME: _home, ...env } = fx.env;
    const script =
      "const C=require('@alicloud/credentials').default;new C().getCredential().then(c=>console.log(JSON.stringify(c)),e=>{console.error(e.message);process.exit(1)})";
    const { stdout } = await run(process.execPath, ['-e', script], {
      cwd: ROOT,
      env: { ...process.env, ...env, ALICLOUD_SIGNIN_HOME: '', HOME: home, ALIBABA_CLOUD_PROFILE: 'signin' },
    });
    const creds = JSON.parse(stdout) as Creds & { providerName: string };
    expect(creds.providerName).toContain('cli_profile');
    expect(await listBuckets(creds)).toHaveLength(3);
    // The broker answered it: the audit log says External, ok.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const audit = JSON.parse((await fx.ok(['audit', '--json'])).stdout) as {
      mode: string;
      outcome: string;
      profile: string;
    }[];
    expect(audit).toContainEqual(expect.objectContaining({ profile: 'demo', mode: 'External', outcome: 'ok' }));
  });

  it('refuses a wrong secret, a foreign Host, POST, an Origin header and unknown paths, with JSON errors', async () => {
    const path = pathOf(await fx.url('demo'));
    const wrong = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const cases: [string, Promise<Awaited<ReturnType<typeof rawRequest>>>, number][] = [
      ['wrong secret', rawRequest(fx.port, wrong), 403],
      ['unknown profile', rawRequest(fx.port, path.replace(/credentials\/[^/]+/, 'credentials/nosuchprofile')), 403],
      ['foreign Host', rawRequest(fx.port, path, { headers: { host: `attacker.example:${fx.port}` } }), 421],
      [
        'POST',
        rawRequest(fx.port, path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        405,
      ],
      ['Origin', rawRequest(fx.port, path, { headers: { origin: 'https://attacker.example' } }), 403],
      ['unknown path', rawRequest(fx.port, '/latest/meta-data/'), 404],
      ['query string', rawRequest(fx.port, `${path}?x=1`), 404],
    ];
    for (const [what, answer, status] of cases) {
      const res = await answer;
      expect(res.status, what).toBe(status);
      const body = res.json();
      expect(typeof body.Code, what).toBe('string');
      expect(body.Code, what).not.toBe('Success');
      expect(body.AccessKeyId, what).toBeUndefined();
    }
    const sdk = new Credential({ type: 'credentials_uri', credentialsURI: `http://127.0.0.1:${fx.port}${wrong}` });
    await expect(sdk.getCredential()).rejects.toThrow(/httpStatus: 403.*InvalidCredentialsUri/);
  });

  it('refuses a switched-off profile, and a rotated secret at once', async () => {
    const old = await fx.url('demo');
    await fx.ok(['broker', 'disable', 'demo']);
    const off = await rawRequest(fx.port, pathOf(old));
    expect(off.status).toBe(403);
    expect(off.json()).toMatchObject({
      Code: 'ProfileSwitchedOff',
      Message: expect.stringContaining('broker enable demo'),
    });
    await fx.ok(['broker', 'enable', 'demo']);
    expect((await rawRequest(fx.port, pathOf(old))).status).toBe(200);

    const rotated = (await fx.ok(['broker', 'rotate', 'demo'])).stdout.trim();
    expect(rotated).not.toBe(old);
    expect((await rawRequest(fx.port, pathOf(old))).status).toBe(403);
    expect((await rawRequest(fx.port, pathOf(rotated))).status).toBe(200);
    expect(await fx.url('demo')).toBe(rotated);
  });

  it('keeps its local channel private: 0600 endpoint and socket, a proof before anything, and a wrong proof gets nothing', async () => {
    const endpoint = JSON.parse(await readFile(endpointFile(fx.dataDir), 'utf8')) as {
      socket: string;
      token: string;
      port: number;
    };
    expect(endpoint.port).toBe(fx.port);
    expect((await stat(endpointFile(fx.dataDir))).mode & 0o777).toBe(0o600);
    expect((await stat(endpoint.socket)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(endpoint.socket))).mode & 0o777).toBe(0o700);
    // The old way, the token itself on the wire, is not even read: the first line must be a hello.
    const [plain] = await talk(endpoint.socket, [{ v: 2, token: endpoint.token, op: 'credentials', profile: 'demo' }]);
    expect(JSON.parse(plain ?? '')).toEqual({ ok: false, code: 'INVALID_INPUT', message: expect.any(String) });
    // The broker proves the token over our nonce; a client that cannot prove it back gets nothing.
    const nonce = randomBytes(32).toString('hex');
    const [challenge, refused] = await talk(endpoint.socket, [
      { v: 2, op: 'hello', nonce },
      { v: 2, proof: '0'.repeat(64), op: 'credentials', profile: 'demo' },
    ]);
    const parsed = JSON.parse(challenge ?? '') as { nonce: string; proof: string };
    expect(parsed.proof).toBe(brokerProof(endpoint.token, nonce, parsed.nonce));
    expect(challenge).not.toContain(endpoint.token);
    expect(JSON.parse(refused ?? '')).toEqual({ ok: false, code: 'BROKER_UNAVAILABLE', message: expect.any(String) });
    const status = JSON.parse((await fx.ok(['broker', 'status', '--json'])).stdout);
    expect(status).toMatchObject({ running: true, port: fx.port });
  });

  it('will not start twice for one data folder, nor on a port another program holds', async () => {
    const second = await fx.cli(['serve'], { timeoutMs: 20_000 });
    expect(second.stderr).toMatch(
      /error BROKER_UNAVAILABLE: A broker already runs for this data folder \(process \d+, port \d+\)/,
    );
    const { createServer } = await import('node:net');
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as { port: number }).port;
    const other = await fx.cli(['serve', '--port', String(taken)], {
      env: { ALICLOUD_SIGNIN_HOME: `${fx.dataDir}-other`, ALICLOUD_SIGNIN_BROKER_PORT: '' },
      timeoutMs: 20_000,
    });
    squatter.close();
    expect(other.stderr).toContain(`error PORTS_IN_USE: Port ${taken} on 127.0.0.1 is taken by another program`);
    // A port it could not take is not saved for the next start.
    await expect(readFile(settingsFile(`${fx.dataDir}-other`), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('keeps an audit log without secrets, and answers a signed-out profile with a JSON error the SDK shows', async () => {
    const url = await fx.url('demo');
    await fx.ok(['logout', 'demo']);
    const res = await rawRequest(fx.port, pathOf(url));
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({
      Code: 'NotSignedIn',
      Message: expect.stringContaining('alicloud-signin login demo'),
    });
    await expect(new Credential({ type: 'credentials_uri', credentialsURI: url }).getCredential()).rejects.toThrow(
      /401.*NotSignedIn/,
    );

    await new Promise((resolve) => setTimeout(resolve, 400));
    const lines = (await readFile(auditFile(fx.dataDir), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(expect.arrayContaining(['count', 'mode', 'outcome', 'profile', 'time']));
      expect(Date.parse(line.time)).not.toBeNaN();
    }
    const reasons = new Set(lines.map((l) => l.reason));
    for (const reason of ['wrong-secret', 'foreign-host', 'method', 'origin', 'not-found', 'disabled', 'signed-out'])
      expect(reasons).toContain(reason);
    const text = (
      await Promise.all([auditFile(fx.dataDir), endpointFile(fx.dataDir)].map((f) => readFile(f, 'utf8')))
    ).join('');
    expect(text).not.toContain(pathOf(url).split('/').pop());
    const human = (await fx.ok(['audit'])).stdout;
    expect(human).toContain('CredentialsURI');
    await fx.ok(['login', 'demo']);
  });

  it('answers a profile whose refresh the site refused (needs attention) with 401 and the reason, not from its cache', async () => {
    const url = await fx.url('demo');
    expect((await rawRequest(fx.port, pathOf(url))).status).toBe(200);
    // What the token service leaves after an invalid_grant (the token is gone, the identity kept).
    const store = new ProfileStore(fx.dataDir);
    const id = await fx.id('demo');
    await store.patch(id, { status: 'needs-attention' });
    try {
      // The broker reads the file again when it changes (a watch): poll, never a fixed sleep.
      await expect.poll(async () => (await rawRequest(fx.port, pathOf(url))).status, { timeout: 5_000 }).toBe(401);
      expect((await rawRequest(fx.port, pathOf(url))).json()).toMatchObject({
        Code: 'SignInExpired',
        Message: expect.stringMatching(/no longer accepts the sign-in of profile "demo".*alicloud-signin login demo/),
      });
    } finally {
      await store.patch(id, { status: 'signed-in' });
    }
    await expect.poll(async () => (await rawRequest(fx.port, pathOf(url))).status, { timeout: 5_000 }).toBe(200);
  });
});
