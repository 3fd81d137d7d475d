import { chmod, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from './errors.js';

/** The app name Electron derives `userData` from; the CLI must land in the same folder. */
export const APP_NAME = 'alicloud-signin';
/** Overrides the data folder (tests, portable installs, several isolated setups). */
export const HOME_ENV = 'ALICLOUD_SIGNIN_HOME';

const LOCK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The folder for the profiles file and locks: `$ALICLOUD_SIGNIN_HOME` when set, else what
 * Electron's `app.getPath('userData')` gives for `alicloud-signin`, so the CLI and the desktop app
 * share one folder. The shell should pass this to `app.setPath('userData', ...)` so the override
 * applies to the app too.
 */
export function dataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const override = env[HOME_ENV];
  if (override) return p.resolve(override);
  if (platform === 'win32') return p.join(env.APPDATA || p.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', APP_NAME);
  // Every other platform (Linux, the BSDs, ...) keeps its settings where XDG says. The spec says a
  // relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.config'), APP_NAME);
}

/** The profiles file (non-secret settings of every profile). */
export function profilesFilePath(dir: string): string {
  return path.join(dir, 'profiles.json');
}

/** The folder holding every lock file. */
export function locksDir(dir: string): string {
  return path.join(dir, 'locks');
}

/** The lock file for `name` (e.g. `profiles`, `refresh-<profileId>`). */
export function lockFilePath(dir: string, name: string): string {
  if (!LOCK_NAME.test(name)) throw new AppError('INVALID_INPUT', `"${name}" is not a valid lock name.`);
  return path.join(locksDir(dir), `${name}.lock`);
}

/**
 * Creates `dir` (and parents) with mode 0700 if it is missing: the folder says which accounts
 * someone uses even though it holds no secret. An existing folder is left as it is (it may be one
 * the user chose on purpose, such as a shared mount).
 */
export async function ensurePrivateDir(dir: string): Promise<string> {
  try {
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    // mkdir's mode is filtered by the umask; make the new folder exactly 0700.
    if (created !== undefined && process.platform !== 'win32') await chmod(dir, 0o700);
  } catch (error) {
    throw new AppError('STORE_IO', `Could not create the folder ${dir}. Check that it is writable.`, { cause: error });
  }
  return dir;
}
