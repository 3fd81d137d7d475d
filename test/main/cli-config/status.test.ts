import { mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HAS_KEYRING } from '../../helpers/signin-fixture.js';
import { allModesConfig } from '../../helpers/cli-config-sample.js';
import { freePort, startBrokerFixture, type BrokerFixture } from '../../helpers/broker-fixture.js';
import { goSdkWriteBack } from '../../helpers/go-sdk-shape.js';

// `cli-config status` on a real file, through the CLI: profiles linked to us are found (by their
// command, their URL, or our record when an SDK dropped the field), checked against what `link`
// writes now, and `--fix` repairs what the Go SDK does to the file: STS keys written back in
// plaintext into the External profile, credentials_uri dropped from the URI profile.

type Config = ReturnType<typeof allModesConfig>;
interface StatusJson {
  configPath: string;
  profiles: {
    name: string;
    linkedTo: string | null;
    mode: string | null;
    intact: boolean;
    problems: string[];
    writtenBackKeys: boolean;
  }[];
  fixed?: string[];
  backup?: string | null;
}

let fx: BrokerFixture;
let file: string;
beforeAll(async () => {
  if (!HAS_KEYRING) return;
  fx = await startBrokerFixture();
  file = fx.env.ALICLOUD_SIGNIN_ALIYUN_CONFIG as string;
  await mkdir(dirname(file), { recursive: true });
}, 120_000);
afterAll(async () => fx?.close());

/** The sample file without its `uri` profile (it names a broker profile that does not exist here). */
function sample(): Config {
  const config = allModesConfig();
  return { ...config, profiles: config.profiles.filter((p) => p.name !== 'uri') };
}

async function backups(): Promise<string[]> {
  return (await readdir(dirname(file))).filter((n) => n.endsWith('.bak')).sort();
}

async function status(args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const result = await fx.cli(['cli-config', 'status', '--json', ...args], { env });
  return { ...result, json: JSON.parse(result.stdout) as StatusJson };
}

/** A file with `signin-ext` (External) and `signin-uri` (CredentialsURI) linked to `demo` by the CLI. */
async function linkedFile(): Promise<Config> {
  await writeFile(file, JSON.stringify(sample(), null, '\t'), { mode: 0o600 });
  const ext = await fx.ok(['cli-config', 'link', 'demo', '--as', 'signin-ext']);
  // link says what an SDK will do to the file, and how to spare it.
  expect(ext.stderr).toContain('write the STS keys they get back');
  expect(ext.stderr).toContain('ALIBABA_CLOUD_CREDENTIALS_URI');
  const uri = await fx.ok(['cli-config', 'link', 'demo', '--mode', 'uri', '--as', 'signin-uri']);
  expect(uri.stderr).toContain('drops credentials_uri');
  return JSON.parse(await readFile(file, 'utf8')) as Config;
}

beforeEach(async () => {
  if (!HAS_KEYRING) return;
  for (const name of await backups()) await unlink(join(dirname(file), name));
});

describe.skipIf(!HAS_KEYRING)('cli-config status', () => {
  it('finds the profiles linked to us, intact, in the documented shape; others are not listed', async () => {
    await linkedFile();
    const result = await status();
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toEqual({
      configPath: file,
      profiles: [
        { name: 'signin-ext', linkedTo: 'demo', mode: 'External', intact: true, problems: [], writtenBackKeys: false },
        {
          name: 'signin-uri',
          linkedTo: 'demo',
          mode: 'CredentialsURI',
          intact: true,
          problems: [],
          writtenBackKeys: false,
        },
      ],
    });
    const text = await fx.ok(['cli-config', 'status']);
    expect(text.stdout).toContain('signin-ext: External from "demo": intact');
  });

  it('on a file the Go SDK wrote back into: says what happened, --fix repairs it atomically and keeps a backup', async () => {
    const linked = await linkedFile();
    const creds = JSON.parse((await fx.ok(['credentials', 'demo'])).stdout) as Record<string, string>;
    const keys = {
      access_key_id: creds.access_key_id as string,
      access_key_secret: creds.access_key_secret as string,
      sts_token: creds.sts_token as string,
      sts_expiration: Math.floor(Date.parse(creds.expiration as string) / 1000),
    };
    const goText = goSdkWriteBack(linked, 'signin-ext', keys);
    await writeFile(file, goText);
    const goConfig = JSON.parse(goText) as { profiles: Record<string, unknown>[] };
    expect(goConfig.profiles.find((p) => p.name === 'signin-uri')).not.toHaveProperty('credentials_uri');

    const before = await status();
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/error CLI_CONFIG_DRIFT: 2 aliyun CLI profile\(s\).*status --fix/);
    expect(before.json.profiles).toEqual([
      {
        name: 'signin-ext',
        linkedTo: 'demo',
        mode: 'External',
        intact: false,
        problems: ['written-back-keys'],
        writtenBackKeys: true,
      },
      {
        name: 'signin-uri',
        linkedTo: 'demo',
        mode: 'CredentialsURI',
        intact: false,
        problems: ['credentials-uri-missing'],
        writtenBackKeys: false,
      },
    ]);
    const words = await fx.cli(['cli-config', 'status']);
    expect(words.stdout).toContain('an SDK wrote STS keys back into it in plaintext');
    expect(words.stdout).toContain('its credentials_uri is gone');
    expect(await readFile(file, 'utf8'), 'status alone changes nothing').toBe(goText);

    const earlier = await backups();
    const fixed = await status(['--fix']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.json.fixed).toEqual(['signin-ext', 'signin-uri']);
    expect(fixed.json.profiles.every((p) => p.intact)).toBe(true);

    const after = await readFile(file, 'utf8');
    for (const secret of [keys.access_key_id, keys.access_key_secret, keys.sts_token])
      expect(after).not.toContain(secret);
    const repaired = JSON.parse(after) as { profiles: Record<string, unknown>[] };
    const ext = repaired.profiles.find((p) => p.name === 'signin-ext') as Record<string, unknown>;
    for (const field of ['access_key_id', 'access_key_secret', 'sts_token', 'sts_expiration'])
      expect(ext).not.toHaveProperty(field);
    expect(ext.process_command).toBe(
      (linked.profiles.find((p) => p.name === 'signin-ext') as { process_command: string }).process_command,
    );
    const uri = repaired.profiles.find((p) => p.name === 'signin-uri') as Record<string, unknown>;
    expect(uri.credentials_uri).toBe(await fx.url('demo'));
    expect(uri).not.toHaveProperty('process_command');
    // Every profile not linked to us stays exactly as the SDK left it.
    for (const p of goConfig.profiles.filter((q) => !String(q.name).startsWith('signin-')))
      expect(repaired.profiles).toContainEqual(p);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const [backup, ...more] = (await backups()).filter((n) => !earlier.includes(n));
    expect(more).toEqual([]);
    expect(fixed.json.backup).toBe(join(dirname(file), backup as string));
    const kept = await readFile(join(dirname(file), backup as string), 'utf8');
    for (const secret of [keys.access_key_secret, keys.sts_token]) expect(kept).not.toContain(secret);
    expect(JSON.parse(kept).profiles).toHaveLength(goConfig.profiles.length);
    expect((await stat(join(dirname(file), backup as string))).mode & 0o777).toBe(0o600);

    const again = await status();
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.profiles.map((p) => p.intact)).toEqual([true, true]);
  });

  it("a moved broker port, another install's command, or a profile that is gone: each is named; --fix does what it can", async () => {
    const linked = await linkedFile();
    const other = await freePort();
    const moved = await status([], { ALICLOUD_SIGNIN_BROKER_PORT: String(other) });
    expect(moved.code).toBe(1);
    expect(moved.json.profiles.find((p) => p.name === 'signin-uri')?.problems).toEqual(['credentials-uri-stale']);

    const elsewhere = {
      ...linked,
      profiles: [
        ...linked.profiles.map((p) =>
          p.name === 'signin-ext' ? { ...p, process_command: '/opt/old/alicloud-signin.mjs credentials demo' } : p,
        ),
        ...allModesConfig().profiles.filter((p) => p.name === 'uri'),
      ],
    };
    await writeFile(file, JSON.stringify(elsewhere, null, '\t'));
    const drift = await status();
    expect(drift.json.profiles.map((p) => [p.name, p.linkedTo, p.problems])).toEqual([
      ['signin-ext', 'demo', ['process-command-stale']],
      ['signin-uri', 'demo', []],
      ['uri', null, ['profile-missing']],
    ]);
    const fixed = await status(['--fix']);
    expect(fixed.code).toBe(1);
    expect(fixed.stderr).toMatch(
      /error CLI_CONFIG_DRIFT: "uri" could not be repaired: the alicloud-signin profile they named is gone/,
    );
    expect(fixed.json.fixed).toEqual(['signin-ext']);
    const after = JSON.parse(await readFile(file, 'utf8')) as Config;
    expect(after.profiles.find((p) => p.name === 'signin-ext')).toEqual(
      linked.profiles.find((p) => p.name === 'signin-ext'),
    );
    expect(after.profiles.find((p) => p.name === 'uri')).toEqual(
      allModesConfig().profiles.find((p) => p.name === 'uri'),
    );
  });
});
