import { randomBytes } from 'node:crypto';
import { lstat, readdir, readFile, readlink, realpath, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { ensurePrivateDir } from '../core/paths.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/** Overrides where the aliyun CLI's config.json is (tests, several setups); the CLI itself uses --config-path. */
const CLI_CONFIG_ENV = 'ALICLOUD_SIGNIN_ALIYUN_CONFIG';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type CliProfile = { [key: string]: Json } & { name: string };
export type CliConfig = { [key: string]: Json } & { profiles: CliProfile[] };

/** The file as read: its exact text (to detect a concurrent writer) and the parsed content. */
export interface LoadedConfig {
  file: string;
  /** The file that holds the content: `file` itself, or where its symbolic link finally leads. */
  target: string;
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

function errno(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Where the content of `file` lives: the file itself, or, when it is a symbolic link (dotfile
 * managers keep ~/.aliyun/config.json as one), the file the link finally leads to. Writes go there,
 * so the link stays a link and the file it names is the one made private and free of tokens. A
 * link to nothing, or links that lead in a circle, are CLI_CONFIG_LINK_BROKEN: nothing is written.
 */
export async function configTarget(file: string): Promise<string> {
  const info = await lstat(file).catch((error: unknown) => {
    if (errno(error) === 'ENOENT') return undefined;
    if (errno(error) === 'ELOOP') throw loop(file, error);
    throw new AppError('STORE_IO', `Could not read the aliyun CLI configuration ${file}. Check its permissions.`, {
      cause: error,
    });
  });
  if (!info?.isSymbolicLink()) return file;
  try {
    return await realpath(file);
  } catch (error) {
    if (errno(error) === 'ELOOP') throw loop(file, error);
    if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') {
      const to = await readlink(file).catch(() => 'a missing file');
      throw new AppError(
        'CLI_CONFIG_LINK_BROKEN',
        `${file} is a symbolic link to ${to}, which does not exist; nothing was changed. Restore the file it points to, or replace the link with a file.`,
        { cause: error },
      );
    }
    throw new AppError('STORE_IO', `Could not follow the symbolic link ${file}. Check its permissions.`, {
      cause: error,
    });
  }
}

function loop(file: string, cause: unknown): AppError {
  return new AppError(
    'CLI_CONFIG_LINK_BROKEN',
    `${file} is a symbolic link that leads back to itself (a loop); nothing was changed. Point it at a real file.`,
    { cause },
  );
}

/** Reads and checks the file (through a symbolic link); a missing file reads as an empty configuration. */
export async function loadCliConfig(file: string): Promise<LoadedConfig> {
  const target = await configTarget(file);
  let text: string | undefined;
  try {
    text = await readFile(target, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new AppError('STORE_IO', `Could not read the aliyun CLI configuration ${file}. Check its permissions.`, {
        cause: error,
      });
    }
    return { file, target, text: undefined, config: { profiles: [] } };
  }
  return { file, target, text, config: parseCliConfig(text, file) };
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
 * the last three kept), then an atomic replace with mode 0600. Through a symbolic link, all of
 * this happens beside the file the link leads to (temp file, rename, backups), never to the link.
 * `backupText` replaces the backup's content when the old content must not be kept as is (tokens
 * that were moved to the keychain).
 */
export async function saveCliConfig(
  loaded: LoadedConfig,
  next: string,
  backupText: string | undefined = loaded.text,
): Promise<string | undefined> {
  const { file } = loaded;
  const target = await configTarget(file);
  await ensurePrivateDir(path.dirname(target));
  const current = await readFile(target, 'utf8').catch(() => undefined);
  if (target !== loaded.target || current !== loaded.text) {
    throw new AppError(
      'STORE_LOCKED',
      `${file} changed while alicloud-signin was editing it; nothing was written. Run the command again.`,
    );
  }
  let backup: string | undefined;
  if (backupText !== undefined) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backup = `${target}.${stamp}-${randomBytes(3).toString('hex')}.bak`;
    await writeFileAtomic(backup, backupText, { mode: 0o600 });
    await pruneBackups(target);
  }
  await writeFileAtomic(target, next, { mode: 0o600 });
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
