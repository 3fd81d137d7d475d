import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../../../main/services/net/http.js';
import { linkCliProfile } from '../../../main/services/cli-config/index.js';
import { HAS_KEYRING } from '../../helpers/signin-fixture.js';
import { DemoSession, demoProfile } from '../../helpers/demo-session.js';
import { allModesConfig } from '../../helpers/cli-config-sample.js';
import { startBrokerFixture, type BrokerFixture } from '../../helpers/broker-fixture.js';
import { goSdkWriteBack } from '../../helpers/go-sdk-shape.js';

// A dotfile manager keeps ~/.aliyun/config.json as a symbolic link into its own folder. Every
// write (link, import, status --fix) must go to the file the link leads to, atomically, in that
// file's folder, keep the link a link, and leave that file 0600; a link to nothing, or a loop, is a
// coded error that changes nothing.

const profile = { name: 'demo', region: 'cn-hangzhou' };
const external = {
  mode: 'external' as const,
  processCommand: '/usr/bin/node /opt/alicloud-signin.mjs credentials demo',
};
const SAMPLE = JSON.stringify(allModesConfig(), null, '\t');

/** home/.aliyun/config.json -> ../dotfiles/aliyun/config.json (0644, as a dotfile repo checks files out). */
async function dotfiles(): Promise<{ link: string; target: string }> {
  const home = await mkdtemp(join(tmpdir(), 'signin-dotfiles-'));
  const target = join(home, 'dotfiles', 'aliyun', 'config.json');
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, SAMPLE, { mode: 0o644 });
  const link = join(home, '.aliyun', 'config.json');
  await mkdir(dirname(link), { recursive: true });
  await symlink('../dotfiles/aliyun/config.json', link);
  return { link, target };
}

async function expectStillALink(link: string, to: string): Promise<void> {
  expect((await lstat(link)).isSymbolicLink()).toBe(true);
  expect(await readlink(link)).toBe(to);
  // Nothing but the link in its folder: no temp file, no backup, no replacement.
  expect(await readdir(dirname(link))).toEqual(['config.json']);
}

describe('cli-config through a symbolic link', () => {
  it('link writes the target atomically in its own folder, keeps the link, leaves the target 0600, backs up beside it', async () => {
    const { link, target } = await dotfiles();
    const result = await linkCliProfile({ file: link, profile, cliProfile: 'signin', target: external });
    expect(result.changed).toBe(true);
    await expectStillALink(link, '../dotfiles/aliyun/config.json');
    if (process.platform !== 'win32') expect((await stat(target)).mode & 0o777).toBe(0o600);
    const written = JSON.parse(await readFile(target, 'utf8')) as { profiles: { name: string }[] };
    expect(written.profiles.at(-1)).toMatchObject({ name: 'signin', mode: 'External' });
    expect(result.backup).toMatch(new RegExp(`^${dirname(target)}/config\\.json\\..*\\.bak$`));
    expect(await readFile(result.backup as string, 'utf8')).toBe(SAMPLE);
  });

  it('follows a chain of links to the last one', async () => {
    const { link, target } = await dotfiles();
    const middle = join(dirname(target), '..', 'current.json');
    await symlink('aliyun/config.json', middle);
    const outer = join(dirname(link), 'outer.json');
    await symlink(middle, outer);
    await linkCliProfile({ file: outer, profile, cliProfile: 'signin', target: external });
    expect((await lstat(outer)).isSymbolicLink()).toBe(true);
    expect((await lstat(middle)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toContain('"signin"');
  });

  it('a link to nothing, or a loop, is CLI_CONFIG_LINK_BROKEN and nothing is written', async () => {
    const home = await mkdtemp(join(tmpdir(), 'signin-broken-'));
    const dangling = join(home, 'config.json');
    await symlink(join(home, 'gone', 'config.json'), dangling);
    await expect(linkCliProfile({ file: dangling, profile, target: external })).rejects.toMatchObject({
      code: 'CLI_CONFIG_LINK_BROKEN',
      message: expect.stringContaining('does not exist'),
    });
    expect(await readlink(dangling)).toBe(join(home, 'gone', 'config.json'));
    expect(await readdir(home)).toEqual(['config.json']);

    const a = join(home, 'a.json');
    const b = join(home, 'b.json');
    await symlink(b, a);
    await symlink(a, b);
    await expect(linkCliProfile({ file: a, profile, target: external })).rejects.toMatchObject({
      code: 'CLI_CONFIG_LINK_BROKEN',
      message: expect.stringContaining('loop'),
    });
    expect((await readdir(home)).sort()).toEqual(['a.json', 'b.json', 'config.json']);
  });
});

let fx: BrokerFixture;
beforeAll(async () => {
  if (HAS_KEYRING) fx = await startBrokerFixture();
}, 120_000);
afterAll(async () => fx?.close());

describe.skipIf(!HAS_KEYRING)('cli-config through a symbolic link, from the CLI', () => {
  it('import and status --fix write through the link: target 0600, no tokens or keys in it or beside it', async () => {
    const { link, target } = await dotfiles();
    const session = await new DemoSession(
      demoProfile(fx.provider),
      fx.provider.ca,
      createFetch({ ca: fx.provider.ca }),
    ).signIn();
    const token = session.refreshToken as string;
    const config = allModesConfig();
    const oauth = config.profiles.find((p) => p.name === 'oauth') as Record<string, unknown>;
    oauth.oauth_refresh_token = token;
    await writeFile(target, JSON.stringify(config, null, '\t'));
    const env = { ALICLOUD_SIGNIN_ALIYUN_CONFIG: link };

    const imported = await fx.ok(['cli-config', 'import', '--like', 'demo'], { env });
    expect(imported.stdout).toContain('oauth: imported');
    await expectStillALink(link, '../dotfiles/aliyun/config.json');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    for (const name of await readdir(dirname(target))) {
      const text = await readFile(join(dirname(target), name), 'utf8');
      for (const secret of [token, 'oauth-access-example', 'oauth-sts-secret', 'CAISoauth'])
        expect(text).not.toContain(secret);
    }

    // An SDK writes keys back into the target; --fix cleans them through the link too.
    const after = JSON.parse(await readFile(target, 'utf8')) as typeof config;
    const keys = {
      access_key_id: 'STS.written',
      access_key_secret: 'written-back-secret',
      sts_token: 'CAISwritten',
      sts_expiration: 1893456000,
    };
    await writeFile(target, goSdkWriteBack(after, 'oauth', keys));
    const drift = await fx.cli(['cli-config', 'status'], { env });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain(`(a link to ${target})`);
    await fx.ok(['cli-config', 'status', '--fix'], { env });
    await expectStillALink(link, '../dotfiles/aliyun/config.json');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    for (const name of await readdir(dirname(target))) {
      const text = await readFile(join(dirname(target), name), 'utf8');
      expect(text).not.toContain('written-back-secret');
      expect(text).not.toContain('CAISwritten');
    }

    // From the CLI, a broken link is the coded error and exit 7 (storage).
    const broken = join(dirname(link), 'broken.json');
    await symlink(join(dirname(link), 'nowhere.json'), broken);
    const refused = await fx.cli(['cli-config', 'link', 'demo'], { env: { ALICLOUD_SIGNIN_ALIYUN_CONFIG: broken } });
    expect(refused.code).toBe(7);
    expect(refused.stderr).toContain('error CLI_CONFIG_LINK_BROKEN');
    expect((await lstat(broken)).isSymbolicLink()).toBe(true);
  });
});
