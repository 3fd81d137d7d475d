import { randomBytes } from 'node:crypto';
import { access, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../core/errors.js';

/** Checks a file's parsed JSON (`text`: what it was parsed from); throws on bad input. */
export interface Parser<T> {
  parse(value: unknown, text: string): T | Promise<T>;
}

const TEMP_SUFFIX = '.tmp';
/** A temp file whose writer we cannot prove alive is removed once it is this old. */
const TEMP_MAX_AGE_MS = 60 * 60 * 1000;

function tempPrefix(file: string): string {
  return `.${path.basename(file)}.`;
}

function errno(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errno(error) === 'EPERM';
  }
}

/**
 * Writes `data` to `file` so that a reader (or a crash at any moment) sees either the old or the
 * new content, never a mix: a temp file in the same folder (O_EXCL), fsync, rename over the
 * target, fsync the folder. The file gets `mode` (0600 unless told).
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const mode = options.mode ?? 0o600;
  const dir = path.dirname(file);
  await removeStaleTempFiles(file);
  const temp = path.join(dir, `${tempPrefix(file)}${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      // The umask may have narrowed `mode`; set it exactly.
      if (process.platform !== 'win32') await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new AppError(
      'STORE_IO',
      `Could not write ${file}. Check that the folder is writable and the disk is not full.`,
      {
        cause: error,
      },
    );
  }
  await syncDir(dir);
}

/** Makes the rename durable; folders cannot be opened for fsync on Windows, where NTFS journals it. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}

/**
 * Removes temp files left by writers that were killed: those whose pid is gone, and any older
 * than an hour (the pid may have been reused). A live writer's temp file is left alone.
 */
export async function removeStaleTempFiles(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = tempPrefix(file);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    const full = path.join(dir, name);
    const info = await stat(full).catch(() => undefined);
    if (!info) continue;
    const dead = !Number.isInteger(pid) || pid <= 0 || !isAlive(pid);
    if (dead || Date.now() - info.mtimeMs > TEMP_MAX_AGE_MS) await unlink(full).catch(() => undefined);
  }
}

/**
 * Reads `file` as JSON and parses it. A missing file gives `undefined`. A file that is not JSON
 * or fails `parser` is damaged: with `quarantine` (the default) it is moved aside to
 * `<name>.corrupt-<time>.json`, byte for byte, and STORE_CORRUPT names that copy; without it,
 * STORE_CORRUPT is thrown and the file is left in place. Hold the file's lock when quarantining so
 * the move cannot race a writer. An AppError thrown by `parser` passes through untouched (a
 * parser uses that for files it must not move, e.g. from a newer version).
 */
export async function readJsonFile<T>(
  file: string,
  parser: Parser<T>,
  options: { quarantine?: boolean } = {},
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    throw new AppError('STORE_IO', `Could not read ${file}. Check its permissions.`, { cause: error });
  }
  let reason: string;
  let cause: unknown;
  try {
    return await parser.parse(JSON.parse(text), text);
  } catch (error) {
    if (isAppError(error)) throw error;
    cause = error;
    // Never quote the content: the parse messages may echo parts of it.
    reason =
      error instanceof SyntaxError ? 'it is not valid JSON' : `it does not have the expected shape${issuePaths(error)}`;
  }
  if (options.quarantine === false) {
    throw new AppError('STORE_CORRUPT', `${file} is damaged (${reason}).`, { cause });
  }
  const backup = await moveAside(file);
  throw new AppError(
    'STORE_CORRUPT',
    `${file} was damaged (${reason}) and has been moved to ${backup}. Starting again with an empty file; ` +
      'copy anything you need from the backup.',
    { cause },
  );
}

function issuePaths(error: unknown): string {
  if (!(error instanceof Error) || !('issues' in error) || !Array.isArray(error.issues)) return '';
  const paths = error.issues
    .slice(0, 3)
    .map((issue: unknown) =>
      typeof issue === 'object' && issue && 'path' in issue && Array.isArray(issue.path) ? issue.path.join('.') : '',
    )
    .filter((p) => p !== '');
  return paths.length > 0 ? `: check ${paths.join(', ')}` : '';
}

/** Renames `file` to a `<name>.corrupt-<ISO time>.json` that does not exist yet; returns it. */
export async function moveAside(file: string, now: Date = new Date()): Promise<string> {
  const dir = path.dirname(file);
  const ext = path.extname(file);
  const stem = path.basename(file, ext);
  const stamp = now.toISOString().replace(/:/g, '-');
  for (let i = 0; ; i += 1) {
    const backup = path.join(dir, `${stem}.corrupt-${stamp}${i === 0 ? '' : `-${i}`}${ext || '.json'}`);
    const taken = await access(backup).then(
      () => true,
      () => false,
    );
    if (taken) continue;
    try {
      await rename(file, backup);
    } catch (error) {
      throw new AppError('STORE_IO', `${file} is damaged and could not be moved aside to ${backup}.`, { cause: error });
    }
    await syncDir(dir);
    return backup;
  }
}
