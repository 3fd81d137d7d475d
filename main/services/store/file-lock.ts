import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../core/errors.js';

export interface LockOptions {
  /** Give up with STORE_LOCKED after this long (default 10 s), counting the in-process queue. */
  timeoutMs?: number;
  /** Stops waiting; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** A lock file untouched for this long is taken over even if its pid looks alive (default 30 s). */
  staleMs?: number;
}

interface Owner {
  pid: number;
  token: string;
  host: string;
}

/** Tokens of the locks this process holds: a file naming our pid with another token is stale. */
const heldTokens = new Set<string>();
/** Per lock path, the tail of the in-process queue. */
const queues = new Map<string, Promise<void>>();
/** Lock paths held by the current async call chain, to refuse re-entry instead of deadlocking. */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

function errno(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function lockedError(lockPath: string, owner: Owner | undefined): AppError {
  const who = owner ? ` (process ${owner.pid} on ${owner.host})` : '';
  return new AppError(
    'STORE_LOCKED',
    `Another alicloud-signin process${who} is busy with the same data and did not finish in time. ` +
      `Try again in a moment; if it keeps happening, close other alicloud-signin windows or commands (lock: ${lockPath}).`,
  );
}

/**
 * Runs `fn` while holding a cross-process lock on `lockPath`. Calls in one process on the same
 * path queue up; a nested call on a path the caller already holds throws INTERNAL at once.
 *
 * The lock file is created atomically with its content (pid, random token, host) by hard-linking
 * a temp file; a holder touches it every few seconds. A lock whose pid is gone on this host (a
 * `kill -9`), or untouched for `staleMs`, is taken over: the taker first creates
 * `<lock>.steal-<token>` with O_EXCL, so of several processes that saw the same dead owner only
 * one removes that owner's file, and it re-reads the file first so it never removes a new owner's.
 */
export async function withLock<T>(lockPath: string, fn: () => T | Promise<T>, options: LockOptions = {}): Promise<T> {
  const key = path.resolve(lockPath);
  const outer = held.getStore();
  if (outer?.has(key)) throw new AppError('INTERNAL', `The lock ${key} was requested again while already held.`);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const previous = queues.get(key) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = previous.then(() => mine);
  queues.set(key, tail);
  try {
    await waitTurn(previous, deadline, key, options.signal);
    const token = await acquire(key, deadline, options);
    const heartbeat = setInterval(
      () => void utimes(key, new Date(), new Date()).catch(() => undefined),
      (options.staleMs ?? 30_000) / 4,
    );
    heartbeat.unref();
    try {
      return await held.run(new Set([...(outer ?? []), key]), fn);
    } finally {
      clearInterval(heartbeat);
      await release(key, token);
    }
  } finally {
    done();
    if (queues.get(key) === tail) queues.delete(key);
  }
}

async function waitTurn(previous: Promise<void>, deadline: number, key: string, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      previous,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(lockedError(key, undefined)), Math.max(0, deadline - Date.now()));
        onAbort = () => reject(signal?.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

async function acquire(key: string, deadline: number, options: LockOptions): Promise<string> {
  const token = randomBytes(12).toString('hex');
  const owner: Owner = { pid: process.pid, token, host: os.hostname() };
  await mkdir(path.dirname(key), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt += 1) {
    options.signal?.throwIfAborted();
    if (await tryCreate(key, owner)) {
      heldTokens.add(token);
      return token;
    }
    const current = await readOwner(key);
    if (current === null) continue; // released meanwhile
    if (isStale(current, options.staleMs ?? 30_000)) {
      await removeStale(key, current);
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(key, current.owner);
    // Poll with jitter: short at first (locks are held for milliseconds), backing off to 50 ms.
    const wait = Math.min(50, 2 + attempt * 2) * (0.5 + Math.random());
    await sleep(Math.min(wait, Math.max(1, deadline - Date.now())), undefined, { signal: options.signal }).catch(
      (error: unknown) => {
        options.signal?.throwIfAborted(); // the caller's reason, not the timer's AbortError
        throw error;
      },
    );
  }
}

/** Creates the lock file with its content in one step (link fails if it exists). */
async function tryCreate(key: string, owner: Owner): Promise<boolean> {
  const temp = `${key}.${owner.pid}.${owner.token}.tmp`;
  await writeFile(temp, JSON.stringify(owner), { mode: 0o600 });
  try {
    await link(temp, key);
    return true;
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    if (errno(error) !== 'EPERM' && errno(error) !== 'ENOTSUP' && errno(error) !== 'ENOSYS') throw error;
    // A file system without hard links: O_EXCL create, then write (a reader may see it empty
    // for a moment; an empty lock only goes stale by age).
    const handle = await open(key, 'wx', 0o600).catch((e: unknown) => {
      if (errno(e) === 'EEXIST') return undefined;
      throw e;
    });
    if (!handle) return false;
    await handle.writeFile(JSON.stringify(owner)).finally(() => handle.close());
    return true;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

interface Seen {
  owner: Owner | undefined;
  /** The steal marker's key: the owner's token, or the file's identity when unreadable. */
  id: string;
  mtimeMs: number;
}

async function readOwner(key: string): Promise<Seen | null> {
  try {
    const [text, info] = await Promise.all([readFile(key, 'utf8'), stat(key)]);
    let owner: Owner | undefined;
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && 'pid' in value && 'token' in value && 'host' in value) {
        const { pid, token, host } = value;
        if (
          typeof pid === 'number' &&
          Number.isInteger(pid) &&
          pid > 0 &&
          typeof token === 'string' &&
          /^[0-9a-f]{8,64}$/.test(token) &&
          typeof host === 'string'
        ) {
          owner = { pid, token, host };
        }
      }
    } catch {
      owner = undefined;
    }
    return { owner, id: owner?.token ?? `ino${info.ino}-${Math.trunc(info.mtimeMs)}`, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (errno(error) === 'ENOENT') return null;
    throw error;
  }
}

function isStale(seen: Seen, staleMs: number): boolean {
  if (Date.now() - seen.mtimeMs > staleMs) return true;
  const owner = seen.owner;
  if (!owner || owner.host !== os.hostname()) return false;
  if (owner.pid === process.pid) return !heldTokens.has(owner.token);
  return !pidAlive(owner.pid);
}

/** EPERM means the process exists but belongs to someone else. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errno(error) !== 'ESRCH';
  }
}

async function removeStale(key: string, seen: Seen): Promise<void> {
  const marker = `${key}.steal-${seen.id}`;
  const handle = await open(marker, 'wx', 0o600).catch(async (error: unknown) => {
    if (errno(error) !== 'EEXIST') throw error;
    // Another process is taking this owner's lock over; if it died doing so, clear its marker.
    const info = await stat(marker).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 5_000) await unlink(marker).catch(() => undefined);
    return undefined;
  });
  if (!handle) return;
  try {
    await handle.close();
    const again = await readOwner(key);
    if (again && again.id === seen.id) await unlink(key).catch(() => undefined);
  } finally {
    await unlink(marker).catch(() => undefined);
  }
  if (seen.owner && seen.owner.host === os.hostname() && !pidAlive(seen.owner.pid)) await removeTempOf(key, seen.owner);
}

/** A holder killed between writing its temp file and linking it leaves the temp file behind. */
async function removeTempOf(key: string, dead: Owner): Promise<void> {
  const prefix = `${path.basename(key)}.${dead.pid}.`;
  const names = await readdir(path.dirname(key)).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith('.tmp'))
      await unlink(path.join(path.dirname(key), name)).catch(() => undefined);
  }
}

async function release(key: string, token: string): Promise<void> {
  heldTokens.delete(token);
  const current = await readOwner(key).catch(() => null);
  // If the lock was taken over (we stalled past staleMs), the file is someone else's now.
  if (current?.owner?.token === token) await unlink(key).catch(() => undefined);
}
