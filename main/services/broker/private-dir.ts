import { lstatSync, type Stats } from 'node:fs';
import { chmod, lstat, mkdir } from 'node:fs/promises';
import { AppError } from '../core/errors.js';

/*
 * Who may have made the broker's files. Node has no SO_PEERCRED (nor getpeereid), so a client
 * cannot ask the kernel who listens on a Unix socket. It checks the file system instead, which
 * tells the same thing: a socket file is created by the process that binds it, owned by that
 * process's uid, and only a user who may write the folder can create (or replace) an entry in it.
 * A folder owned by us that no group or other user may write (the broker makes it 0700) therefore
 * holds only sockets that a process of ours bound: lstat of the socket (owner = us) and of its
 * folder (owner = us, no group/other bits) is equivalent to asking for the peer's uid. Root can
 * do anything and is out of scope; so is malware running as the same user.
 */

/** Our uid, or undefined where there are none (Windows): the checks below then do nothing. */
export function ownUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function untrusted(message: string): AppError {
  return new AppError('BROKER_UNTRUSTED', message);
}

/** Why a folder is not private to us, or undefined when it is (a real folder, ours, no group/other access). */
function privateDirProblem(info: Stats, uid: number): string | undefined {
  if (info.isSymbolicLink()) return 'is a symbolic link';
  if (!info.isDirectory()) return 'is not a folder';
  if (info.uid !== uid) return `belongs to another user (uid ${info.uid})`;
  if ((info.mode & 0o077) !== 0)
    return `is open to other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')})`;
  return undefined;
}

/**
 * Checks, without following links, that `dir` is private to us. False when it does not exist;
 * throws BROKER_UNTRUSTED when it exists and someone else could have put a file in it.
 */
export async function checkPrivateDir(dir: string, what: string): Promise<boolean> {
  const uid = ownUid();
  if (uid === undefined) return true;
  const info = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw untrusted(`The ${what} ${dir} cannot be checked (${error.code ?? 'error'}); nothing was sent to it.`);
  });
  if (!info) return false;
  const problem = privateDirProblem(info, uid);
  if (problem)
    throw untrusted(
      `The ${what} ${dir} ${problem}, so another user could have placed a socket or file in it; nothing was sent to it. ` +
        'Remove it (or make it yours with mode 0700), then start the broker again: alicloud-signin serve.',
    );
  return true;
}

/**
 * Creates `dir` as a 0700 folder of ours, or tightens one of ours to 0700. A folder owned by
 * someone else, or a link, is refused: the broker will not listen where another user can replace
 * its socket.
 */
export async function ensureOwnPrivateDir(dir: string, what: string): Promise<string> {
  const uid = ownUid();
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AppError('STORE_IO', `Could not create the folder ${dir}. Check that it is writable.`, { cause: error });
  }
  if (uid === undefined) return dir;
  const info = await lstat(dir);
  if (info.isSymbolicLink() || !info.isDirectory() || info.uid !== uid) {
    throw untrusted(
      `The ${what} ${dir} ${privateDirProblem(info, uid) ?? 'is not usable'}; the broker will not listen there. Remove it and start again.`,
    );
  }
  if ((info.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
  return dir;
}

/**
 * The broker's socket, checked without following links: 'missing' when nothing is there, 'ours'
 * for a socket we own; anything else (another user's socket, a link, a plain file) is refused.
 */
export function checkOwnSocket(path: string): 'missing' | 'ours' {
  const uid = ownUid();
  if (uid === undefined) return 'ours';
  let info: Stats;
  try {
    info = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw untrusted(`The broker socket ${path} cannot be checked; nothing was sent to it.`);
  }
  if (!info.isSocket())
    throw untrusted(`${path} is not a socket; something else took the broker's place. Nothing was sent to it.`);
  if (info.uid !== uid)
    throw untrusted(
      `The broker socket ${path} belongs to another user (uid ${info.uid}), not to you: someone may be posing as the broker. ` +
        'Nothing was sent to it. Remove it, then start the broker again: alicloud-signin serve.',
    );
  return 'ours';
}

/** The endpoint file: a regular file of ours that no one else may read or write. */
export function endpointFileProblem(info: Stats, uid: number): string | undefined {
  if (!info.isFile()) return 'is not a regular file';
  if (info.uid !== uid) return `belongs to another user (uid ${info.uid})`;
  if ((info.mode & 0o077) !== 0)
    return `is open to other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')})`;
  return undefined;
}
