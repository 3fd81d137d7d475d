import { randomBytes } from 'node:crypto';
import { readdir, readFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { ensurePrivateDir } from '../core/paths.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/** Overrides where the aliyun CLI's config.json is (tests, several setups); the CLI itself uses --config-path. */
export const CLI_CONFIG_ENV = 'ALICLOUD_SIGNIN_ALIYUN_CONFIG';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type CliProfile = { [key: string]: Json } & { name: string };
export type CliConfig = { [key: string]: Json } & { profiles: CliProfile[] };

/** The file as read: its exact text (to detect a concurrent writer) and the parsed content. */
export interface LoadedConfig {
  file: string;
  /** Undefined when the file does not exist yet. */
  text: string | undefined;
  config: CliConfig;
}

/**
 * `--config-path`, else $ALICLOUD_SIGNIN_ALIYUN_CONFIG, else `~/.aliyun/config.json` with the
 * home folder the aliyun CLI uses ($HOME; on Windows %HOMEDRIVE%%HOMEPATH% or %USERPROFILE%).
 */
export function cliConfigPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (flag) return path.resolve(flag);
  if (env[CLI_CONFIG_ENV]) return path.resolve(env[CLI_CONFIG_ENV]);
  const home =
    platform === 'win32'
      ? `${env.HOMEDRIVE ?? ''}${env.HOMEPATH ?? ''}` || env.USERPROFILE || os.homedir()
      : env.HOME || os.homedir();
  return path.join(home, '.aliyun', 'config.json');
}

/** Reads and checks the file; a missing file reads as an empty configuration. */
export async function loadCliConfig(file: string): Promise<LoadedConfig> {
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new AppError('STORE_IO', `Could not read the aliyun CLI configuration ${file}. Check its permissions.`, {
        cause: error,
      });
    }
    return { file, text: undefined, config: { profiles: [] } };
  }
  return { file, text, config: parseCliConfig(text, file) };
}

export function parseCliConfig(text: string, file: string): CliConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'STORE_CORRUPT',
      `${file} is not valid JSON; nothing was changed. Fix it or move it aside first.`,
      { cause: error },
    );
  }
  const bad = (why: string) =>
    new AppError(
      'STORE_CORRUPT',
      `${file} does not look like an aliyun CLI configuration (${why}); nothing was changed.`,
    );
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad('not an object');
  const config = value as { [key: string]: Json };
  const profiles = config.profiles ?? [];
  if (!Array.isArray(profiles)) throw bad('"profiles" is not a list');
  for (const p of profiles) {
    if (!p || typeof p !== 'object' || Array.isArray(p) || typeof p.name !== 'string')
      throw bad('a profile has no name');
  }
  // A JSON integer beyond 2^53 would not survive a rewrite exactly.
  if (hasUnsafeInteger(config)) throw bad('it holds a number too large to rewrite exactly');
  return { ...config, profiles: profiles as CliProfile[] };
}

function hasUnsafeInteger(value: Json): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.some(hasUnsafeInteger);
  if (value && typeof value === 'object') return Object.values(value).some(hasUnsafeInteger);
  return false;
}

/** In the file's own style: its indentation (tabs, as the aliyun CLI writes, when new) and final newline. */
export function renderCliConfig(config: CliConfig, previous: string | undefined): string {
  const indent = previous ? (/^\{\r?\n([ \t]+)"/.exec(previous)?.[1] ?? '\t') : '\t';
  const text = JSON.stringify(config, null, indent);
  return previous?.endsWith('\n') ? `${text}\n` : text;
}

const BACKUPS_KEPT = 3;

/**
 * Writes the new content: the file must still hold what was read (else STORE_LOCKED: another
 * program changed it, try again), a backup of the old content goes next to it first (mode 0600,
 * the last three kept), then an atomic replace with mode 0600. `backupText` replaces the backup's
 * content when the old content must not be kept as is (tokens that were moved to the keychain).
 */
export async function saveCliConfig(
  loaded: LoadedConfig,
  next: string,
  backupText: string | undefined = loaded.text,
): Promise<string | undefined> {
  const { file } = loaded;
  await ensurePrivateDir(path.dirname(file));
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== loaded.text) {
    throw new AppError(
      'STORE_LOCKED',
      `${file} changed while alicloud-signin was editing it; nothing was written. Run the command again.`,
    );
  }
  let backup: string | undefined;
  if (backupText !== undefined) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backup = `${file}.${stamp}-${randomBytes(3).toString('hex')}.bak`;
    await writeFileAtomic(backup, backupText, { mode: 0o600 });
    await pruneBackups(file);
  }
  await writeFileAtomic(file, next, { mode: 0o600 });
  return backup;
}

async function pruneBackups(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => n.startsWith(prefix) && n.endsWith('.bak'))
    .sort();
  for (const name of names.slice(0, Math.max(0, names.length - BACKUPS_KEPT)))
    await unlink(path.join(dir, name)).catch(() => undefined);
}
