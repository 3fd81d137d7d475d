import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/services/core/errors.js';
import { withLock } from '../../../main/services/store/file-lock.js';
import { buildChild, runChild } from '../../helpers/store-child.js';
import { removeTempDirs, tempDir } from '../../helpers/tmp.js';

afterAll(removeTempDirs);

let bundle: string;
let dir: string;
let lockPath: string;

beforeAll(async () => {
  bundle = await buildChild();
});

beforeEach(async () => {
  dir = await tempDir('lock-');
  lockPath = path.join(dir, 'locks', 'test.lock');
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('withLock in one process', () => {
  it('queues calls on the same path and returns what fn returns', async () => {
    const order: string[] = [];
    const job = (name: string, ms: number) =>
      withLock(lockPath, async () => {
        order.push(`start ${name}`);
        await sleep(ms);
        order.push(`end ${name}`);
        return name;
      });
    expect(await Promise.all([job('a', 30), job('b', 5), job('c', 1)])).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(await readdir(path.dirname(lockPath))).toEqual([]);
  });

  it('releases the lock when fn throws', async () => {
    await expect(withLock(lockPath, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withLock(lockPath, () => 'again', { timeoutMs: 100 })).toBe('again');
  });

  it('refuses a nested call on the same path instead of deadlocking', async () => {
    const error = await failure(withLock(lockPath, () => withLock(lockPath, () => 1)));
    expect(error).toMatchObject({ code: 'INTERNAL' });
    // Other paths nest fine.
    expect(await withLock(lockPath, () => withLock(`${lockPath}-2`, () => 2))).toBe(2);
  });

  it('times out in the in-process queue with STORE_LOCKED', async () => {
    const holder = withLock(lockPath, () => sleep(1500));
    const started = Date.now();
    const error = await failure(withLock(lockPath, () => 1, { timeoutMs: 100 }));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'STORE_LOCKED' });
    expect(Date.now() - started).toBeLessThan(1000);
    await holder;
    // The queue goes on after a waiter gave up.
    expect(await withLock(lockPath, () => 'next', { timeoutMs: 100 })).toBe('next');
  });

  it('stops waiting when the signal aborts, with its reason', async () => {
    const holder = withLock(lockPath, () => sleep(300));
    const reason = new Error('cancelled by the user');
    const error = failure(withLock(lockPath, () => 1, { signal: AbortSignal.timeout(50) }));
    expect(await error).toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    controller.abort(reason);
    expect(await failure(withLock(lockPath, () => 1, { signal: controller.signal }))).toBe(reason);
    await holder;
  });

  it('takes over a lock file that nobody touched for staleMs (another host, a reused pid)', async () => {
    await mkdir(path.dirname(lockPath), { recursive: true });
    await writeFile(lockPath, JSON.stringify({ pid: 1, token: 'aaaaaaaaaaaaaaaaaaaaaaaa', host: 'elsewhere' }));
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    expect(await withLock(lockPath, () => 'mine', { timeoutMs: 500, staleMs: 30_000 })).toBe('mine');
  });

  it('waits for a fresh lock of another host rather than stealing it', async () => {
    await mkdir(path.dirname(lockPath), { recursive: true });
    await writeFile(lockPath, JSON.stringify({ pid: 1, token: 'bbbbbbbbbbbbbbbbbbbbbbbb', host: 'elsewhere' }));
    const error = await failure(withLock(lockPath, () => 1, { timeoutMs: 200 }));
    expect(error).toMatchObject({ code: 'STORE_LOCKED', message: expect.stringContaining('process 1 on elsewhere') });
  });
});

describe('withLock across processes', () => {
  it('lets no update be lost: 4 processes increment one counter 50 times each', async () => {
    const counter = path.join(dir, 'counter');
    const children = Array.from({ length: 4 }, () => runChild(bundle, ['count', lockPath, counter, '50']));
    const results = await Promise.all(children.map((c) => c.exited));
    expect(results.every((r) => r.code === 0)).toBe(true);
    expect(await readFile(counter, 'utf8')).toBe('200');
    expect(await readdir(path.dirname(lockPath))).toEqual([]);
  });

  it('gives STORE_LOCKED while a live process holds the lock', async () => {
    const holder = runChild(bundle, ['hold', lockPath]);
    try {
      await holder.waitFor((l) => l === 'locked');
      const started = Date.now();
      const error = await failure(withLock(lockPath, () => 1, { timeoutMs: 300 }));
      expect(error).toMatchObject({
        code: 'STORE_LOCKED',
        message: expect.stringContaining(`process ${holder.proc.pid}`),
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      holder.proc.kill('SIGKILL');
      await holder.exited;
    }
  });

  it('takes over the lock of a kill -9ed holder at once', async () => {
    const holder = runChild(bundle, ['hold', lockPath]);
    await holder.waitFor((l) => l === 'locked');
    holder.proc.kill('SIGKILL');
    await holder.exited;
    const started = Date.now();
    expect(await withLock(lockPath, () => 'taken', { timeoutMs: 5000 })).toBe('taken');
    // Far below the 30 s stale limit: the dead pid is noticed on the first look.
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await readdir(path.dirname(lockPath))).toEqual([]);
  });

  it('lets exactly one of several waiters take over a dead holder at a time', async () => {
    const holder = runChild(bundle, ['hold', lockPath]);
    await holder.waitFor((l) => l === 'locked');
    const counter = path.join(dir, 'counter');
    const children = Array.from({ length: 4 }, () => runChild(bundle, ['count', lockPath, counter, '20']));
    await sleep(100); // all of them are polling the dead... soon-to-be-dead holder's lock
    holder.proc.kill('SIGKILL');
    const results = await Promise.all(children.map((c) => c.exited));
    expect(results.every((r) => r.code === 0)).toBe(true);
    expect(await readFile(counter, 'utf8')).toBe('80');
  });
});
