import { chmod, chown, lstat, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/services/core/errors.js';
import { socketPath } from '../../../main/services/broker/paths.js';
import { checkOwnSocket, checkPrivateDir, ensureOwnPrivateDir } from '../../../main/services/broker/private-dir.js';
import { attackerUser, CAN_PLAY_ATTACKER, NOT_ROOT_REASON } from '../../helpers/other-user.js';

// The broker's folders and socket must be ours alone: only the owner of a folder no one else may
// write can have created a socket in it (Node has no SO_PEERCRED; this is how the client knows).

const UNIX = process.platform !== 'win32';

async function fresh(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'private-dir-'));
}

async function untrusted(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(isAppError(error, 'BROKER_UNTRUSTED'), String(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected BROKER_UNTRUSTED');
}

async function listening(path: string): Promise<() => void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return () => server.close();
}

describe.skipIf(!UNIX)('private broker folders', () => {
  it('accepts a 0700 folder of ours, says false for a missing one', async () => {
    const dir = await fresh();
    await chmod(dir, 0o700);
    expect(await checkPrivateDir(dir, 'broker folder')).toBe(true);
    expect(await checkPrivateDir(join(dir, 'missing'), 'broker folder')).toBe(false);
  });

  it('refuses a folder others may write or enter, and a link to a folder', async () => {
    const dir = await fresh();
    await chmod(dir, 0o777);
    expect(await untrusted(checkPrivateDir(dir, 'broker folder'))).toContain('is open to other users (mode 0777)');
    await chmod(dir, 0o750);
    expect(await untrusted(checkPrivateDir(dir, 'broker folder'))).toContain('(mode 0750)');
    const target = await fresh();
    await symlink(target, join(dir, 'link'));
    expect(await untrusted(checkPrivateDir(join(dir, 'link'), 'broker folder'))).toContain('is a symbolic link');
  });

  it('makes its own folders 0700, tightens one of ours, and will not use a link', async () => {
    const dir = await fresh();
    const made = join(dir, 'a', 'b');
    await ensureOwnPrivateDir(made, 'broker folder');
    expect((await lstat(made)).mode & 0o777).toBe(0o700);
    const loose = join(dir, 'loose');
    await mkdir(loose, { mode: 0o755 });
    await chmod(loose, 0o755);
    await ensureOwnPrivateDir(loose, 'broker folder');
    expect((await lstat(loose)).mode & 0o777).toBe(0o700);
    await symlink(made, join(dir, 'link'));
    await untrusted(ensureOwnPrivateDir(join(dir, 'link'), 'broker folder'));
  });

  it('takes only a socket of ours at the broker path', async () => {
    const dir = await fresh();
    expect(checkOwnSocket(join(dir, 'none.sock'))).toBe('missing');
    await writeFile(join(dir, 'file.sock'), '');
    expect(await untrusted(() => checkOwnSocket(join(dir, 'file.sock')))).toContain('is not a socket');
    const close = await listening(join(dir, 'ours.sock'));
    expect(checkOwnSocket(join(dir, 'ours.sock'))).toBe('ours');
    close();
  });

  it('never puts the socket of a long data path in a shared temp folder', () => {
    const long = join('/home/someone', 'a'.repeat(120));
    const home = '/home/someone';
    expect(socketPath('/home/someone/.config/alicloud-signin', 'linux', {}, home)).toBe(
      '/home/someone/.config/alicloud-signin/broker/broker.sock',
    );
    expect(socketPath(long, 'linux', { XDG_RUNTIME_DIR: '/run/user/1000' }, home)).toMatch(
      /^\/run\/user\/1000\/alicloud-signin\/[0-9a-f]{16}\.sock$/,
    );
    const fallback = socketPath(long, 'linux', {}, home);
    expect(fallback).toMatch(/^\/home\/someone\/\.cache\/alicloud-signin-run\/[0-9a-f]{16}\.sock$/);
    expect(fallback.startsWith(tmpdir())).toBe(false);
    expect(socketPath(long, 'linux', { XDG_RUNTIME_DIR: 'relative', XDG_CACHE_HOME: '/c' }, home)).toMatch(
      /^\/c\/alicloud-signin-run\//,
    );
  });
});

describe.skipIf(!CAN_PLAY_ATTACKER)(
  CAN_PLAY_ATTACKER
    ? 'folders and sockets of another user'
    : `folders and sockets of another user (${NOT_ROOT_REASON})`,
  () => {
    it('refuses a 0700 folder and a socket that belong to another user', async () => {
      const other = await attackerUser();
      const dir = await fresh();
      const theirs = join(dir, 'theirs');
      await mkdir(theirs, { mode: 0o700 });
      await chown(theirs, other.uid, other.gid);
      expect(await untrusted(checkPrivateDir(theirs, 'broker socket folder'))).toContain(
        `belongs to another user (uid ${other.uid})`,
      );
      await untrusted(ensureOwnPrivateDir(theirs, 'broker socket folder'));
      const close = await listening(join(dir, 'their.sock'));
      await chown(join(dir, 'their.sock'), other.uid, other.gid);
      expect(await untrusted(() => checkOwnSocket(join(dir, 'their.sock')))).toContain(`(uid ${other.uid})`);
      close();
    });
  },
);
