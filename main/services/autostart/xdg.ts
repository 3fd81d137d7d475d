import { mkdir, readFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { desktopEntry, entryEnabled, type AutostartEntry } from './desktop-entry.js';
import type { LoginItem } from './login-item.js';

/** The entry's file name: one per app, so turning it on twice leaves one entry. */
const AUTOSTART_FILE_NAME = 'alicloud-signin.desktop';

/**
 * `$XDG_CONFIG_HOME/autostart/alicloud-signin.desktop`, else under `~/.config` (the XDG base
 * directory spec says a relative XDG_CONFIG_HOME is invalid and must be ignored).
 */
export function autostartFile(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const xdg = env.XDG_CONFIG_HOME;
  const config = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(config, 'autostart', AUTOSTART_FILE_NAME);
}

/** Whether the entry exists and a session would start it. */
export async function readAutostart(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new AppError('STORE_IO', `Could not read ${file}.`, { cause: error });
  });
  return text !== undefined && entryEnabled(text);
}

/**
 * Writes the entry atomically (a session starting while we write sees the old file or the new
 * one), creating the autostart folder when missing. It holds no secret: mode 0644, as desktop
 * entries are.
 */
async function writeAutostart(file: string, entry: AutostartEntry): Promise<void> {
  const text = desktopEntry(entry);
  await mkdir(path.dirname(file), { recursive: true }).catch((error: unknown) => {
    throw new AppError('STORE_IO', `Could not create the folder ${path.dirname(file)}.`, { cause: error });
  });
  await writeFileAtomic(file, text, { mode: 0o644 });
}

/** Removes the entry; one that is already gone is fine. */
async function removeAutostart(file: string): Promise<void> {
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw new AppError('STORE_IO', `Could not remove ${file}.`, { cause: error });
  });
}

export interface XdgLoginItemOptions {
  /** The command a session runs: the app's executable (and, from a dev checkout, its folder), then `--hidden`. */
  argv: readonly string[];
  name: string;
  comment: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** "Start at login" on Linux and other XDG desktops: the entry's presence is the setting. */
export function xdgLoginItem(options: XdgLoginItemOptions): LoginItem {
  const file = autostartFile(options.env, options.home);
  return {
    supported: true,
    get: () => readAutostart(file),
    async set(on) {
      if (on) await writeAutostart(file, { name: options.name, comment: options.comment, argv: options.argv });
      else await removeAutostart(file);
    },
  };
}
