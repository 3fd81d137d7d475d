import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startDemoProvider, type DemoProvider } from '../../main/demo/provider/index.js';
import { freshHome, runCli, writeCaFile, type CliResult, type CliRun } from './cli.js';

const run = promisify(execFile);
export const BROWSER_SCRIPT = fileURLToPath(new URL('./browser.mjs', import.meta.url));

/** Whether this process runs inside a D-Bus session with a Secret Service (CI always does). */
export const HAS_KEYRING = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

/**
 * A suite's title that says why it was skipped where there is no Secret Service, for
 * `describe.skipIf(!HAS_KEYRING)(needsKeyring('...'), ...)`: the report names the reason itself.
 */
export function needsKeyring(title: string): string {
  return HAS_KEYRING
    ? title
    : `${title} (skipped: needs a Secret Service; DBUS_SESSION_BUS_ADDRESS is unset, run it under scripts/with-keyring.sh)`;
}

/** A demo provider, a CA file, and a fresh data dir for one test file. */
export async function startFixture(providerOptions: Parameters<typeof startDemoProvider>[0] = {}) {
  const provider = await startDemoProvider(providerOptions);
  const { home, env: homeEnv } = await freshHome();
  const caFile = await writeCaFile(home, provider.ca);
  const env: NodeJS.ProcessEnv = {
    ...homeEnv,
    NODE_EXTRA_CA_CERTS: caFile,
    BROWSER: `${process.execPath} ${BROWSER_SCRIPT}`,
    DEMO_CA_FILE: caFile,
    HTTPS_PROXY: '',
    HTTP_PROXY: '',
    https_proxy: '',
    http_proxy: '',
  };
  const cli = (args: string[], extra: CliRun = {}): ReturnType<typeof runCli> =>
    runCli(args, { ...extra, env: { ...env, ...extra.env } });
  return { provider, home, dataDir: homeEnv.ALICLOUD_SIGNIN_HOME as string, caFile, env, cli };
}

export type Fixture = Awaited<ReturnType<typeof startFixture>>;

/** The `profile add` arguments for a custom profile on the demo provider. */
export function customProfileArgs(provider: DemoProvider, name: string, extra: string[] = []): string[] {
  const e = provider.endpoints;
  return [
    'profile',
    'add',
    name,
    '--site',
    'custom',
    '--client-id',
    provider.clientId,
    '--ports',
    '0',
    '--callback-path',
    '/cli/callback',
    '--issuer',
    e.issuer,
    '--authorization-endpoint',
    e.authorization,
    '--token-endpoint',
    e.token,
    '--revocation-endpoint',
    e.revocation,
    '--exchange-endpoint',
    e.exchange,
    '--jwks-uri',
    e.jwks,
    ...extra,
  ];
}

/** What the Secret Service holds for a profile, read with libsecret's own tool. */
export async function keychainLookup(account: string): Promise<string | null> {
  try {
    // `--`: an account (a profile id) may start with '-'.
    const { stdout } = await run('secret-tool', ['lookup', '--', 'service', 'alicloud-signin', 'username', account]);
    return stdout.length > 0 ? stdout : null;
  } catch (error) {
    // Exit status 1 and nothing said: no such item. Anything else is the lookup failing, not an answer.
    const { code, stderr } = error as { code?: unknown; stderr?: unknown };
    if (code === 1 && !stderr) return null;
    throw new Error(`secret-tool lookup failed (${String(code)}): ${String(stderr)}`, { cause: error });
  }
}

export async function profileId(fixture: Fixture, name: string): Promise<string> {
  const list = await fixture.cli(['profile', 'list', '--json']);
  const parsed = JSON.parse(list.stdout) as { profiles: { id: string; name: string }[] };
  const found = parsed.profiles.find((p) => p.name === name);
  if (!found) throw new Error(`no profile ${name}`);
  return found.id;
}

/** Every file under the data dir, as one string, to search for leaked secrets. */
export async function dataDirText(dir: string): Promise<string> {
  let text = '';
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true }).catch(() => [])) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else text += await readFile(full, 'latin1');
    }
  };
  await walk(dir);
  return text;
}

/** The error code a failed CLI run named on stderr. */
export function errorCode(result: CliResult): string | undefined {
  return /error ([A-Z_]+):/.exec(result.stderr)?.[1];
}
