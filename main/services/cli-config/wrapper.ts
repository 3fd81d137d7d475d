import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { ensurePrivateDir } from '../core/paths.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { WRAPPER_MARKER, type WrapperPlan } from './process-command.js';

export interface PathEnv {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

function pathDirs({ env = process.env, platform = process.platform }: PathEnv): string[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const value = env.PATH ?? env.Path ?? '';
  // A relative entry (or an empty one, meaning the current folder) changes with where the CLI runs.
  return [...new Set(value.split(p.delimiter).filter((d) => d !== '' && p.isAbsolute(d)))];
}

/** The file that runs under the wrapper's name: the first on PATH, as the aliyun CLI would find it. */
async function findOnPath(fileName: string, where: PathEnv = {}): Promise<string | undefined> {
  for (const dir of pathDirs(where)) {
    const file = path.join(dir, fileName);
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) return file;
  }
  return undefined;
}

/**
 * Whether the aliyun CLI would find `program` (a path, or a name on PATH; on Windows with the
 * extensions it tries) as a file it may run.
 */
export async function programFound(program: string, where: PathEnv = {}): Promise<boolean> {
  const platform = where.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const runnable = async (file: string) => {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return false;
    if (platform === 'win32') return true;
    return access(file, constants.X_OK).then(
      () => true,
      () => false,
    );
  };
  const names =
    platform === 'win32' && !p.extname(program) ? ['.exe', '.cmd', '.bat'].map((e) => program + e) : [program];
  if (p.isAbsolute(program)) {
    for (const name of names) if (await runnable(name)) return true;
    return false;
  }
  for (const dir of pathDirs(where)) for (const name of names) if (await runnable(p.join(dir, name))) return true;
  return false;
}

/**
 * A folder a script may go in without letting anyone else replace it: ours, not writable by group
 * or others (else another account could swap the wrapper and run code as us), writable by us.
 */
async function isSafeDir(dir: string, platform: NodeJS.Platform): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return false;
  if (platform !== 'win32') {
    if (info.uid !== process.getuid?.() || (info.mode & 0o022) !== 0) return false;
  }
  return access(dir, constants.W_OK).then(
    () => true,
    () => false,
  );
}

export type WrapperState = 'ok' | 'missing' | 'stale';

/** Whether the wrapper the command names runs this install: present on PATH with our exact content. */
export async function wrapperState(plan: WrapperPlan, where: PathEnv = {}): Promise<WrapperState> {
  const file = await findOnPath(plan.fileName, where);
  if (!file) return 'missing';
  const content = await readFile(file, 'utf8').catch(() => undefined);
  return content === plan.content ? 'ok' : 'stale';
}

export interface InstalledWrapper {
  file: string;
  written: boolean;
  /** Set when the folder it went in is not on PATH here. */
  warning?: string;
}

/**
 * Puts the wrapper in the first safe folder on PATH (or updates ours where it already is). A file
 * of that name that we did not write is never replaced. With no safe folder on PATH, it goes in
 * ~/.local/bin, and the warning says to put that folder on PATH where the aliyun CLI runs.
 */
export async function installWrapper(plan: WrapperPlan, where: PathEnv = {}): Promise<InstalledWrapper> {
  const platform = where.platform ?? process.platform;
  const existing = await findOnPath(plan.fileName, where);
  if (existing) {
    const content = await readFile(existing, 'utf8').catch(() => '');
    if (content === plan.content) return { file: existing, written: false };
    if (!content.includes(WRAPPER_MARKER)) {
      throw new AppError(
        'INVALID_INPUT',
        `${existing} is on PATH under the name alicloud-signin needs for its wrapper, and alicloud-signin did not write it; nothing was changed. Move it aside and run the command again.`,
      );
    }
    if (await isSafeDir(path.dirname(existing), platform)) {
      await writeFileAtomic(existing, plan.content, { mode: 0o755 });
      return { file: existing, written: true };
    }
    throw new AppError(
      'INVALID_INPUT',
      `An older alicloud-signin wrapper is at ${existing}, in a folder that others can write or that is not yours; nothing was changed. Remove it and run the command again.`,
    );
  }
  for (const dir of pathDirs(where)) {
    if (!(await isSafeDir(dir, platform))) continue;
    const file = path.join(dir, plan.fileName);
    await writeFileAtomic(file, plan.content, { mode: 0o755 });
    return { file, written: true };
  }
  const dir = await ensurePrivateDir(path.join(os.homedir(), '.local', 'bin'));
  const file = path.join(dir, plan.fileName);
  await writeFileAtomic(file, plan.content, { mode: 0o755 });
  return {
    file,
    written: true,
    warning: `No folder on PATH here is yours alone, so the wrapper went in ${dir}: put that folder on PATH where the aliyun CLI runs (many login shells add ~/.local/bin once it exists).`,
  };
}
