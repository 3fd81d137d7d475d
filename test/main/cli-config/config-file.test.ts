import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cliConfigPath,
  linkCliProfile,
  linkProfile,
  parseCliConfig,
  relinkCredentialsUri,
  scrubProfile,
} from '../../../main/services/cli-config/index.js';
import { externalProcessCommand } from '../../../main/services/cli-config/process-command.js';
import { defaultOssEndpoint } from '../../../main/services/auth/sites.js';
import { Region } from '../../../main/services/profiles/schema.js';
import { ProfileStore } from '../../../main/services/store/profile-store.js';
import { allModesConfig } from '../../helpers/cli-config-sample.js';

const profile = { name: 'demo', region: 'cn-shanghai' };
const external = {
  mode: 'external' as const,
  processCommand: '/usr/bin/node /opt/alicloud-signin.mjs credentials demo',
};

async function sampleFile(text = JSON.stringify(allModesConfig(), null, '\t')): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'aliyun-')), '.aliyun', 'config.json');
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text, { mode: 0o644 });
  return file;
}

describe('cli-config on a config.json holding every mode', () => {
  it('link changes only the linked profile; every other profile and unknown key stays as it was', async () => {
    const before = allModesConfig();
    const file = await sampleFile();
    const result = await linkCliProfile({ file, profile, cliProfile: 'oauth', target: external });
    expect(result).toMatchObject({ changed: true, previousMode: 'OAuth', cliProfile: 'oauth' });
    const after = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after.meta_path).toBe(before.meta_path);
    expect(after.x_other_tool).toEqual(before.x_other_tool);
    expect(after.current).toBe('ak');
    for (const [i, p] of before.profiles.entries()) {
      if (p.name !== 'oauth') expect(after.profiles[i]).toEqual(p);
    }
    const linked = after.profiles.find((p: { name: string }) => p.name === 'oauth');
    expect(linked).toEqual({
      ...before.profiles.find((p) => p.name === 'oauth'),
      mode: 'External',
      process_command: external.processCommand,
    });
    expect(Object.keys(linked).slice(0, 2)).toEqual(['name', 'mode']);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    // A byte-exact backup of the old file, mode 0600.
    const backups = (await readdir(join(file, '..'))).filter((n) => n.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    const backup = join(file, '..', backups[0] as string);
    expect(await readFile(backup, 'utf8')).toBe(JSON.stringify(before, null, '\t'));
    if (process.platform !== 'win32') expect((await stat(backup)).mode & 0o777).toBe(0o600);
  });

  it('link --mode uri adds a new profile, keeps the file style, and switching modes drops the other field', async () => {
    const file = await sampleFile(`${JSON.stringify(allModesConfig(), null, 4)}\n`);
    const uri = {
      mode: 'uri' as const,
      credentialsUri: 'http://127.0.0.1:7878/v1/credentials/abcdefgh/' + 'x'.repeat(43),
    };
    await linkCliProfile({ file, profile, target: uri });
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('{\n    "current"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    const added = JSON.parse(text).profiles.at(-1);
    expect(added).toEqual({
      name: 'demo',
      mode: 'CredentialsURI',
      credentials_uri: uri.credentialsUri,
      region_id: 'cn-shanghai',
    });
    await linkCliProfile({ file, profile, target: external });
    expect(JSON.parse(await readFile(file, 'utf8')).profiles.at(-1)).toEqual({
      name: 'demo',
      mode: 'External',
      process_command: external.processCommand,
      region_id: 'cn-shanghai',
    });
    expect((await linkCliProfile({ file, profile, target: external })).changed).toBe(false);
  });

  it('a new file gets the profile as current, in the aliyun CLI style (tabs)', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'aliyun-')), '.aliyun', 'config.json');
    const result = await linkCliProfile({ file, profile, target: external });
    expect(result.backup).toBeUndefined();
    const text = await readFile(file, 'utf8');
    expect(text).toContain('\n\t"profiles"');
    expect(JSON.parse(text)).toEqual({
      profiles: [
        { name: 'demo', mode: 'External', process_command: external.processCommand, region_id: 'cn-shanghai' },
      ],
      current: 'demo',
    });
  });

  it('refuses files it cannot rewrite faithfully, changing nothing', async () => {
    for (const text of [
      '{not json',
      '[]',
      '{"profiles": {}}',
      '{"profiles": [{"mode": "AK"}]}',
      '{"profiles": [], "n": 123456789012345678901}',
    ]) {
      const file = await sampleFile(text);
      await expect(linkCliProfile({ file, profile, target: external })).rejects.toMatchObject({
        code: 'STORE_CORRUPT',
      });
      expect(await readFile(file, 'utf8')).toBe(text);
    }
  });

  it('scrub drops tokens and STS fields only; rotation relinks URI profiles of that profile', async () => {
    const oauth = allModesConfig().profiles.find((p) => p.name === 'oauth');
    const scrubbed = scrubProfile(oauth as never);
    expect(scrubbed).toEqual({
      name: 'oauth',
      mode: 'OAuth',
      region_id: 'cn-hangzhou',
      oauth_site_type: 'CN',
      language: 'en',
      output_format: 'json',
    });
    const file = await sampleFile();
    const names = await relinkCredentialsUri(file, 'p-broker-1', 'http://127.0.0.1:7878/v1/credentials/p-broker-1/new');
    expect(names).toEqual(['uri']);
    expect(
      JSON.parse(await readFile(file, 'utf8')).profiles.find((p: { name: string }) => p.name === 'uri').credentials_uri,
    ).toMatch(/\/new$/);
  });

  it('finds the file where the aliyun CLI does, or where told', () => {
    expect(cliConfigPath(undefined, { HOME: '/home/ana' }, 'linux')).toBe('/home/ana/.aliyun/config.json');
    expect(cliConfigPath(undefined, { HOME: '/home/ana', ALICLOUD_SIGNIN_ALIYUN_CONFIG: '/tmp/c.json' }, 'linux')).toBe(
      '/tmp/c.json',
    );
    expect(cliConfigPath('/x/y.json', {}, 'linux')).toBe('/x/y.json');
    expect(parseCliConfig('{}', 'f').profiles).toEqual([]);
    expect(linkProfile({ profiles: [] }, { cliProfile: 'a', target: external, region: 'r' }).config.current).toBe('a');
  });

  it('writes process_command so that the aliyun CLI runs this install, or a wrapper when a word is not plain', () => {
    expect(
      externalProcessCommand('demo', { argv: ['/usr/bin/node', '/opt/a.mjs'], env: {}, platform: 'linux' }),
    ).toEqual({
      command: '/usr/bin/node /opt/a.mjs credentials demo',
      program: '/usr/bin/node',
    });
    expect(
      externalProcessCommand('demo', {
        argv: ['/usr/bin/node', '/opt/a.mjs'],
        env: { ALICLOUD_SIGNIN_HOME: '/d' },
        platform: 'linux',
      }).command,
    ).toBe('env ALICLOUD_SIGNIN_HOME=/d /usr/bin/node /opt/a.mjs credentials demo');
    const spaced = externalProcessCommand('demo', {
      argv: ['/usr/bin/node', '/My Apps/a.mjs'],
      env: {},
      platform: 'linux',
    });
    expect(spaced.command).toBe('alicloud-signin-external credentials demo');
    expect(spaced.program).toBe('alicloud-signin-external');
    expect(spaced.wrapper?.content).toContain(`exec '/usr/bin/node' '/My Apps/a.mjs' "$@"`);
    // A data folder with a space travels in the wrapper, under a name of its own.
    const home = externalProcessCommand('demo', {
      argv: ['/usr/bin/node', '/opt/a.mjs'],
      env: { ALICLOUD_SIGNIN_HOME: '/data dir' },
      platform: 'linux',
    });
    expect(home.command).toMatch(/^alicloud-signin-external-[0-9a-f]{8} credentials demo$/);
    expect(home.wrapper?.content).toContain(`ALICLOUD_SIGNIN_HOME='/data dir'`);
  });

  it('takes a region in the endpoint form (oss-cn-hangzhou) as the region, and never builds oss-oss-', async () => {
    expect(Region.parse('oss-cn-hangzhou')).toBe('cn-hangzhou');
    expect(Region.parse(' OSS-cn-Beijing ')).toBe('cn-beijing');
    expect(Region.parse('cn-hangzhou')).toBe('cn-hangzhou');
    expect(Region.safeParse('oss-').success).toBe(false);
    expect(defaultOssEndpoint('oss-cn-hangzhou')).toBe('https://oss-cn-hangzhou.aliyuncs.com');
    expect(defaultOssEndpoint('cn-hangzhou')).toBe('https://oss-cn-hangzhou.aliyuncs.com');
    const store = new ProfileStore(await mkdtemp(join(tmpdir(), 'signin-region-')));
    const added = await store.add({
      name: 'r',
      site: 'cn',
      client: { clientId: 'x', redirect: { kind: 'scheme' } },
      region: 'oss-cn-shanghai',
    });
    expect(added.region).toBe('cn-shanghai');
    expect((await store.patch(added.id, { region: 'oss-cn-beijing' })).region).toBe('cn-beijing');
    expect((await store.list())[0]?.region).toBe('cn-beijing');
  });
});
