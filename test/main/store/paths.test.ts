import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/services/core/errors.js';
import {
  dataDir,
  ensurePrivateDir,
  lockFilePath,
  locksDir,
  profilesFilePath,
} from '../../../main/services/core/paths.js';
import { removeTempDirs, tempDir } from '../../helpers/tmp.js';

afterAll(removeTempDirs);

describe('dataDir', () => {
  it('uses ALICLOUD_SIGNIN_HOME when set, on every platform', () => {
    expect(dataDir({ ALICLOUD_SIGNIN_HOME: '/srv/signin' }, 'linux', '/home/ann')).toBe('/srv/signin');
    expect(dataDir({ ALICLOUD_SIGNIN_HOME: '/srv/signin' }, 'darwin', '/Users/ann')).toBe('/srv/signin');
    expect(dataDir({ ALICLOUD_SIGNIN_HOME: 'D:\\signin' }, 'win32', 'C:\\Users\\ann')).toBe('D:\\signin');
  });

  it('is Electron userData for alicloud-signin on Linux: XDG_CONFIG_HOME or ~/.config', () => {
    expect(dataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/alicloud-signin');
    expect(dataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ann')).toBe('/cfg/alicloud-signin');
    expect(dataDir({ XDG_CONFIG_HOME: '' }, 'linux', '/home/ann')).toBe('/home/ann/.config/alicloud-signin');
    // A relative XDG_CONFIG_HOME is invalid by the XDG spec.
    expect(dataDir({ XDG_CONFIG_HOME: 'cfg' }, 'freebsd', '/home/ann')).toBe('/home/ann/.config/alicloud-signin');
  });

  it('is ~/Library/Application Support on macOS and %APPDATA% on Windows', () => {
    expect(dataDir({ XDG_CONFIG_HOME: '/cfg' }, 'darwin', '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/alicloud-signin',
    );
    expect(dataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\alicloud-signin',
    );
    expect(dataDir({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\alicloud-signin');
  });

  it('names the files inside the data folder', () => {
    expect(profilesFilePath('/d')).toBe('/d/profiles.json');
    expect(locksDir('/d')).toBe('/d/locks');
    expect(lockFilePath('/d', 'refresh-abc_DEF-123')).toBe('/d/locks/refresh-abc_DEF-123.lock');
    for (const bad of ['', '../x', 'a/b', '.hidden']) {
      expect(() => lockFilePath('/d', bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

describe('ensurePrivateDir', () => {
  it('creates missing folders with mode 0700 even under a permissive umask', async () => {
    const base = await tempDir('paths-');
    const dir = path.join(base, 'a', 'alicloud-signin');
    const old = process.umask(0o002);
    try {
      await ensurePrivateDir(dir);
    } finally {
      process.umask(old);
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    await ensurePrivateDir(dir); // idempotent
  });

  it('reports a folder it cannot create as STORE_IO', async () => {
    const base = await tempDir('paths-');
    await writeFile(path.join(base, 'file'), '');
    const error = await ensurePrivateDir(path.join(base, 'file', 'x')).catch((e: unknown) => e);
    expect(isAppError(error, 'STORE_IO')).toBe(true);
  });
});
