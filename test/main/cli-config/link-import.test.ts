import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../../../main/services/net/http.js';
import { HAS_KEYRING, keychainLookup } from '../../helpers/signin-fixture.js';
import { DemoSession, demoProfile } from '../../helpers/demo-session.js';
import { allModesConfig } from '../../helpers/cli-config-sample.js';
import { startBrokerFixture, type BrokerFixture } from '../../helpers/broker-fixture.js';

// `cli-config import` against the demo site: OAuth-mode tokens of the aliyun CLI move into the
// keychain only once a refresh proves them; by default no token is left in the file (the refresh
// rotated it: the CLI's copy is stale); `--keep-cli-tokens` keeps them and says why that is
// dangerous; a token that does not verify changes nothing at all.

let fx: BrokerFixture;
let file: string;
beforeAll(async () => {
  if (!HAS_KEYRING) return;
  fx = await startBrokerFixture();
  file = fx.env.ALICLOUD_SIGNIN_ALIYUN_CONFIG as string;
  await mkdir(dirname(file), { recursive: true });
}, 120_000);
afterAll(async () => fx?.close());

/** A refresh token of a fresh sign-in on the demo site, held by nobody else (as the aliyun CLI would hold it). */
async function cliRefreshToken(): Promise<string> {
  const session = await new DemoSession(
    demoProfile(fx.provider),
    fx.provider.ca,
    createFetch({ ca: fx.provider.ca }),
  ).signIn();
  return session.refreshToken as string;
}

function configWith(oauth: Record<string, string>[]): string {
  const config = allModesConfig();
  const base = config.profiles.find((p) => p.name === 'oauth') as Record<string, unknown>;
  const extra = oauth.map((o) => ({ ...base, ...o }));
  return JSON.stringify(
    { ...config, profiles: [...config.profiles.filter((p) => p.name !== 'oauth'), ...extra] },
    null,
    '\t',
  );
}

async function profileNames(): Promise<string[]> {
  return (
    JSON.parse((await fx.ok(['profile', 'list', '--json'])).stdout) as { profiles: { name: string }[] }
  ).profiles.map((p) => p.name);
}

async function backups(): Promise<string[]> {
  return (await readdir(dirname(file))).filter((n) => n.endsWith('.bak'));
}

describe.skipIf(!HAS_KEYRING)('cli-config link', () => {
  it('on a file holding every mode, changes only the linked profile, and says when the environment turns it off', async () => {
    const text = JSON.stringify(allModesConfig(), null, '\t');
    await writeFile(file, text);
    const result = await fx.ok(['cli-config', 'link', 'demo', '--mode', 'uri', '--as', 'ext'], {
      env: { ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS: 'true' },
    });
    expect(result.stderr).toContain('ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS=true is set');
    expect(result.stderr).toContain('No broker is running');
    const before = JSON.parse(text) as ReturnType<typeof allModesConfig>;
    const after = JSON.parse(await readFile(file, 'utf8')) as typeof before;
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const [i, p] of before.profiles.entries()) {
      if (p.name === 'ext') {
        const uri = await fx.url('demo');
        expect(after.profiles[i]).toEqual({
          name: 'ext',
          mode: 'CredentialsURI',
          region_id: 'cn-hangzhou',
          credentials_uri: uri,
        });
      } else expect(after.profiles[i]).toEqual(p);
    }
    expect(await backups()).toHaveLength(1);
    await unlink(file);
    for (const name of await backups()) await unlink(`${dirname(file)}/${name}`);
  });
});

describe.skipIf(!HAS_KEYRING)('cli-config import', () => {
  it('a failing import changes nothing: same bytes, no profile, no keychain entry, no backup', async () => {
    const text = configWith([{ name: 'stale', oauth_refresh_token: 'not-a-refresh-token-the-site-knows' }]);
    await writeFile(file, text);
    const profilesBefore = await profileNames();
    const result = await fx.cli(['cli-config', 'import', '--scrub', '--like', 'demo']);
    expect(result.code, result.stderr).not.toBe(0);
    expect(result.stdout).toContain('stale: failed');
    expect(result.stderr).toMatch(/error INVALID_GRANT: 1 of 1 profile/);
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await backups()).toEqual([]);
    expect(await profileNames()).toEqual(profilesBefore);
  });

  it('by default moves a verified token into the keychain and leaves no token bytes in the file', async () => {
    const token = await cliRefreshToken();
    const text = configWith([
      { name: 'work', oauth_refresh_token: token, region_id: 'oss-cn-shanghai' },
      { name: 'stale', oauth_refresh_token: 'not-a-refresh-token-the-site-knows' },
    ]);
    await writeFile(file, text);
    const before = JSON.parse(text) as ReturnType<typeof allModesConfig>;
    const grants = fx.provider.stats.refreshGrants;

    const result = await fx.cli(['cli-config', 'import', '--like', 'demo']);
    expect(result.stdout).toContain('work: imported');
    expect(result.stdout).toContain('stale: failed');
    expect(result.code).not.toBe(0); // one of two failed, and says so
    expect(fx.provider.stats.refreshGrants).toBe(grants + 1);

    const after = await readFile(file, 'utf8');
    for (const secret of [token, 'oauth-access-example', 'CAISoauth', 'oauth-sts-secret', 'STS.oauth']) {
      // Only the failed profile still holds the sample's STS fields; the imported one holds none.
      const inWork = JSON.stringify(JSON.parse(after).profiles.find((p: { name: string }) => p.name === 'work'));
      expect(inWork).not.toContain(secret);
    }
    expect(after).not.toContain(token);
    const parsed = JSON.parse(after) as typeof before;
    const work = parsed.profiles.find((p) => p.name === 'work') as Record<string, unknown>;
    expect(work).toMatchObject({
      mode: 'External',
      process_command: expect.stringContaining('credentials work'),
      oauth_site_type: 'CN',
    });
    for (const field of [
      'oauth_refresh_token',
      'oauth_access_token',
      'sts_token',
      'access_key_secret',
      'access_key_id',
      'sts_expiration',
    ]) {
      expect(work[field]).toBeUndefined();
    }
    // Every other profile, and the failed one, exactly as before.
    for (const p of before.profiles.filter((q) => q.name !== 'work')) expect(parsed.profiles).toContainEqual(p);
    expect(Object.keys(parsed)).toEqual(Object.keys(before));
    // The backup keeps everything but the moved token.
    const [backup] = await backups();
    expect(await readFile(`${dirname(file)}/${backup}`, 'utf8')).not.toContain(token);

    const id = (
      JSON.parse((await fx.ok(['profile', 'list', '--json'])).stdout) as {
        profiles: { id: string; name: string; status: string; region: string }[];
      }
    ).profiles.find((p) => p.name === 'work');
    expect(id?.status).toBe('signed-in');
    expect(id?.region, 'the endpoint form of the region is taken as the region').toBe('cn-shanghai');
    const stored = await keychainLookup(id?.id as string);
    expect(stored).toBeTruthy();
    expect(stored, 'the verification rotated it').not.toBe(token);
    // The linked CLI profile works through us.
    const creds = await fx.ok(['credentials', 'work']);
    expect(JSON.parse(creds.stdout)).toMatchObject({ mode: 'StsToken' });
    expect(fx.provider.stats.rotatedOutReuse).toBe(0);
  });

  it('--keep-cli-tokens keeps them, warns why, and never presents a token it already imported', async () => {
    const token = await cliRefreshToken();
    const text = configWith([{ name: 'twice', oauth_refresh_token: token }]);
    await writeFile(file, text);
    const first = await fx.ok(['cli-config', 'import', '--keep-cli-tokens', '--like', 'demo']);
    expect(first.stdout).toContain('twice: imported');
    expect(first.stderr).toMatch(/warning: --keep-cli-tokens left the refresh tokens in .* stale/);
    expect(first.stderr).toContain('revoke the whole sign-in');
    expect(first.stderr).toContain('RFC 9700 4.14.2');
    expect(first.stderr).not.toContain(token);
    expect(await readFile(file, 'utf8'), 'kept as asked').toBe(text);
    const grants = fx.provider.stats.refreshGrants;
    const second = await fx.ok(['cli-config', 'import', '--keep-cli-tokens', '--like', 'demo']);
    expect(second.stdout).toContain('twice: already-imported');
    expect(fx.provider.stats.refreshGrants).toBe(grants);
    expect(fx.provider.stats.rotatedOutReuse).toBe(0);
    await fx.ok(['refresh', 'twice']);
    // --scrub (the default now) is still accepted; with --keep-cli-tokens it is a contradiction.
    const both = await fx.cli(['cli-config', 'import', '--scrub', '--keep-cli-tokens']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('error INVALID_INPUT');
  });
});

describe.skipIf(!HAS_KEYRING)('regions typed in the endpoint form', () => {
  it('profile add and link take oss-cn-hangzhou as cn-hangzhou; no oss-oss- endpoint', async () => {
    const added = await fx.ok(['profile', 'add', 'regional', '--site', 'cn', '--region', 'oss-cn-hangzhou']);
    expect(added.stdout).toContain('region cn-hangzhou');
    expect(added.stderr).toContain('OSS endpoint: https://oss-cn-hangzhou.aliyuncs.com');
    expect(added.stdout + added.stderr).not.toContain('oss-oss-');
    await writeFile(file, JSON.stringify({ profiles: [] }, null, '\t'));
    await fx.ok(['cli-config', 'link', 'demo', '--as', 'regional', '--region', 'OSS-cn-beijing']);
    const linked = JSON.parse(await readFile(file, 'utf8')) as { profiles: Record<string, unknown>[] };
    expect(linked.profiles[0]?.region_id).toBe('cn-beijing');
    const bad = await fx.cli(['cli-config', 'link', 'demo', '--region', 'oss-']);
    expect(bad.code).toBe(2);
    await fx.ok(['profile', 'remove', 'regional']);
  });
});
