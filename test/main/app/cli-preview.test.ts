import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { previewCliImport } from '../../../main/services/app/cli-import.js';
import { linkToCli, previewCliLink } from '../../../main/services/app/cli-link.js';
import { defaultClientSettings } from '../../../main/services/auth/sites.js';
import { uriSecretAccount } from '../../../main/services/broker/uri-secrets.js';
import type { Profile } from '../../../main/services/profiles/schema.js';
import { MemorySecretStore } from '../../../main/services/secrets/memory-store.js';
import { ProfileStore } from '../../../main/services/store/profile-store.js';
import { allModesConfig } from '../../helpers/cli-config-sample.js';
import { removeTempDirs, tempDir } from '../../helpers/tmp.js';

// The dry runs behind the window's previews: they say field by field what a link or an import
// would change, and change nothing (not the file, no backup, no record, no secret, no profile).

const self = { argv: ['/usr/bin/node', '/opt/alicloud-signin.mjs'], env: {} };
let dataDir: string;
let file: string;
let store: ProfileStore;
let secrets: MemorySecretStore;
let profile: Profile;

beforeEach(async () => {
  dataDir = await tempDir('hub-preview-');
  file = path.join(dataDir, 'home', '.aliyun', 'config.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(allModesConfig(), null, '\t'));
  store = new ProfileStore(dataDir);
  secrets = new MemorySecretStore();
  profile = await store.add({ name: 'prod', site: 'cn', client: defaultClientSettings('cn'), region: 'cn-shanghai' });
});
afterAll(removeTempDirs);

const deps = () => ({ dataDir, secrets, self, env: { ALICLOUD_SIGNIN_BROKER_PORT: '7979' } });
const folder = async () => (await readdir(path.dirname(file))).sort();

describe('the link preview', () => {
  it('lists what External mode sets and removes on an OAuth profile, and writes nothing', async () => {
    const before = await readFile(file, 'utf8');
    const preview = await previewCliLink(deps(), { profile, mode: 'external', file, cliProfile: 'oauth' });
    expect(preview).toMatchObject({
      changed: true,
      created: false,
      previousMode: 'OAuth',
      backup: undefined,
      cliProfile: 'oauth',
    });
    expect(preview.changes).toEqual([
      { scope: 'profile', field: 'mode', action: 'set', before: 'OAuth', after: 'External' },
      {
        scope: 'profile',
        field: 'process_command',
        action: 'add',
        after: '/usr/bin/node /opt/alicloud-signin.mjs credentials prod',
      },
    ]);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await folder()).toEqual(['config.json']);
    // No record of a link that was never made.
    expect(await readdir(dataDir)).not.toContain('cli-config');
  });

  it('CredentialsURI on an External profile: sets the URL, drops process_command, makes no secret', async () => {
    const preview = await previewCliLink(deps(), { profile, mode: 'uri', file, cliProfile: 'ext' });
    expect(preview.newSecret).toBe(true);
    expect(preview.changes.map((c) => [c.field, c.action])).toEqual([
      ['mode', 'set'],
      ['credentials_uri', 'add'],
      ['process_command', 'remove'],
    ]);
    const uri = preview.changes.find((c) => c.field === 'credentials_uri')?.after as string;
    expect(uri.startsWith(`http://127.0.0.1:7979/v1/credentials/${profile.id}/`)).toBe(true);
    expect(secrets.accounts()).toEqual([]);
  });

  it('a new CLI profile: every field added, and `current` where the file had none', async () => {
    await writeFile(file, JSON.stringify({ profiles: [] }));
    const preview = await previewCliLink(deps(), { profile, mode: 'external', file, cliProfile: 'fresh' });
    expect(preview.created).toBe(true);
    expect(preview.changes).toEqual([
      { scope: 'profile', field: 'name', action: 'add', after: 'fresh' },
      { scope: 'profile', field: 'mode', action: 'add', after: 'External' },
      { scope: 'profile', field: 'process_command', action: 'add', after: expect.stringContaining('credentials prod') },
      { scope: 'profile', field: 'region_id', action: 'add', after: 'cn-shanghai' },
      { scope: 'file', field: 'current', action: 'add', after: 'fresh' },
    ]);
  });

  it('after the link, the preview of the same link is empty; the link made the secret and the record', async () => {
    const linked = await linkToCli(deps(), { profile, mode: 'uri', file, cliProfile: 'uri' });
    expect(linked.changed).toBe(true);
    expect(linked.backup).toBeTruthy();
    expect(secrets.accounts()).toEqual([uriSecretAccount(profile.id)]);
    const again = await previewCliLink(deps(), { profile, mode: 'uri', file, cliProfile: 'uri' });
    expect(again).toMatchObject({ changed: false, changes: [], newSecret: false });
  });
});

describe('the import preview', () => {
  it('says what would happen to each OAuth profile without sending a token or adding a profile', async () => {
    const config = allModesConfig();
    const oauth = config.profiles.find((p) => p.name === 'oauth') as Record<string, unknown>;
    config.profiles.push(
      { ...oauth, name: 'Prod', oauth_refresh_token: 'second-token' } as never,
      { ...oauth, name: 'empty', oauth_refresh_token: '' } as never,
      { ...oauth, name: 'elsewhere', oauth_site_type: 'XX', oauth_refresh_token: 'third' } as never,
      { ...oauth, name: 'prod', oauth_refresh_token: 'fourth' } as never,
    );
    await writeFile(file, JSON.stringify(config, null, '\t'));
    const before = await readFile(file, 'utf8');
    const preview = await previewCliImport({ store, dataDir }, { file });
    expect(preview.items.map((i) => [i.cliProfile, i.outcome, i.profile ?? null, i.holdsToken])).toEqual([
      ['oauth', 'import', 'oauth', true],
      // "prod" is taken (names ignore case), and so is the name the first of them would take.
      ['Prod', 'import', 'Prod-cli', true],
      ['empty', 'skipped', null, false],
      ['elsewhere', 'skipped', null, true],
      ['prod', 'import', 'prod-cli-2', true],
    ]);
    expect((await store.read()).profiles.map((p) => p.name)).toEqual(['prod']);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(secrets.calls).toEqual([]);
  });
});

describe('an External command whose program the aliyun CLI would not find', () => {
  /** The window's self: `alicloud-signin`, found (or not) on the PATH given. */
  const windowDeps = (pathValue: string) => ({
    dataDir,
    secrets,
    self: { argv: ['alicloud-signin'], env: {} },
    env: { PATH: pathValue },
  });

  it('is named in the preview and the link when nothing on PATH runs it; a runnable file on PATH silences it', async () => {
    const bin = path.join(dataDir, 'bin');
    await mkdir(bin);
    const preview = await previewCliLink(windowDeps(bin), { profile, mode: 'external', file, cliProfile: 'oauth' });
    expect(preview.programMissing).toBe('alicloud-signin');
    // A file that cannot be run does not count.
    await writeFile(path.join(bin, 'alicloud-signin'), '#!/bin/sh\n', { mode: 0o644 });
    const linked = await linkToCli(windowDeps(bin), { profile, mode: 'external', file, cliProfile: 'oauth' });
    expect(linked.programMissing).toBe('alicloud-signin');
    await chmod(path.join(bin, 'alicloud-signin'), 0o755);
    const again = await previewCliLink(windowDeps(bin), { profile, mode: 'external', file, cliProfile: 'oauth' });
    expect(again.programMissing).toBeUndefined();
    // CredentialsURI mode runs nothing.
    const uri = await previewCliLink(windowDeps(''), { profile, mode: 'uri', file, cliProfile: 'oauth' });
    expect(uri.programMissing).toBeUndefined();
  });

  it('an absolute program (the CLI linking itself) is checked where it is', async () => {
    const absent = { dataDir, secrets, self: { argv: ['/nonexistent/node', '/opt/cli.mjs'], env: {} }, env: {} };
    expect((await previewCliLink(absent, { profile, mode: 'external', file })).programMissing).toBe(
      '/nonexistent/node',
    );
    const present = { ...absent, self: { argv: [process.execPath, '/opt/cli.mjs'], env: {} } };
    expect((await previewCliLink(present, { profile, mode: 'external', file })).programMissing).toBeUndefined();
  });
});
