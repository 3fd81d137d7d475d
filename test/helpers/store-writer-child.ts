/**
 * A child process for the store tests, run from an esbuild bundle (see test/main/store). Modes:
 *   add DIR PREFIX        adds profiles PREFIX-0, PREFIX-1, ... through ProfileStore until killed,
 *                         printing "ready" first and "committed NAME" after each add resolved
 *   count LOCK FILE N     N times, under withLock(LOCK): read the number in FILE, write it + 1
 *   hold LOCK             takes withLock(LOCK), prints "locked", then waits to be killed
 */
import { readFile, writeFile } from 'node:fs/promises';
import { withLock } from '../../main/services/store/file-lock.js';
import { ProfileStore } from '../../main/services/store/profile-store.js';

const [mode, a = '', b = '', c = ''] = process.argv.slice(2);

function say(line: string): void {
  // Pipes are written synchronously on POSIX, so a printed line survives a SIGKILL right after.
  process.stdout.write(`${line}\n`);
}

function profileInput(name: string) {
  return {
    name,
    site: 'cn' as const,
    region: 'cn-hangzhou',
    client: {
      clientId: 'test-client',
      redirect: { kind: 'loopback' as const, ports: 0 as const, callbackPath: '/callback' },
    },
  };
}

async function addLoop(dir: string, prefix: string): Promise<void> {
  const store = new ProfileStore(dir, { lockTimeoutMs: 30_000 });
  say('ready');
  for (let i = 0; ; i += 1) {
    const name = `${prefix}-${i}`;
    await store.add(profileInput(name));
    say(`committed ${name}`);
  }
}

async function count(lockPath: string, file: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await withLock(
      lockPath,
      async () => {
        const value = Number((await readFile(file, 'utf8').catch(() => '0')) || '0');
        await writeFile(file, String(value + 1));
      },
      { timeoutMs: 30_000 },
    );
  }
  say('done');
}

async function hold(lockPath: string): Promise<void> {
  await withLock(lockPath, async () => {
    say('locked');
    setInterval(() => undefined, 60_000); // keeps the process alive until it is killed
    await new Promise(() => undefined);
  });
}

switch (mode) {
  case 'add':
    await addLoop(a, b);
    break;
  case 'count':
    await count(a, b, Number(c));
    break;
  case 'hold':
    await hold(a);
    break;
  default:
    process.stderr.write(`unknown mode ${String(mode)}\n`);
    process.exitCode = 2;
}
