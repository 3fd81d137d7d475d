import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// A second local user for tests that play the attacker for real: a throwaway system account
// (no home, no login shell) whose programs run with its own uid through setpriv.

const run = promisify(execFile);

const ATTACKER = 'alicloud-attacker';

function hasSetpriv(): boolean {
  return spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Root on Linux with setpriv: the only place these tests can make and become another user. */
export const CAN_PLAY_ATTACKER = process.platform === 'linux' && process.getuid?.() === 0 && hasSetpriv();
export const NOT_ROOT_REASON =
  'skipped: needs root on Linux (with setpriv) to create a second local user and run as it';

export interface OtherUser {
  name: string;
  uid: number;
  gid: number;
}

async function lookup(name: string): Promise<OtherUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** The attacker account, created once (several test files may race to create it: either wins). */
export async function attackerUser(): Promise<OtherUser> {
  const existing = await lookup(ATTACKER);
  if (existing) return existing;
  await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ATTACKER]).catch(
    () => undefined,
  );
  const made = await lookup(ATTACKER);
  if (!made) throw new Error(`could not create the local user ${ATTACKER}`);
  return made;
}

/** Where the attacker's side lives: scripts it can read (0755 folder), and a log folder only it may write. */
export interface AttackerSpace {
  user: OtherUser;
  /** 0755, owned by the test (root): the scripts. */
  dir: string;
  /** 0700, owned by the attacker: its logs and its own sockets. */
  own: string;
  /** Writes a script the attacker can read and run; returns its path. */
  script(name: string, text: string): Promise<string>;
  /** Everything the attacker wrote to its log folder, as one string. */
  logs(): Promise<string>;
}

export async function attackerSpace(user: OtherUser): Promise<AttackerSpace> {
  const dir = await mkdtemp(join(tmpdir(), 'attacker-'));
  await chmod(dir, 0o755);
  const own = join(dir, 'own');
  await mkdir(own, { mode: 0o700 });
  await chown(own, user.uid, user.gid);
  return {
    user,
    dir,
    own,
    async script(name, text) {
      const file = join(dir, name);
      await writeFile(file, text, { mode: 0o644 });
      return file;
    },
    async logs() {
      const { readdir } = await import('node:fs/promises');
      let text = '';
      for (const entry of await readdir(own).catch(() => []))
        text += await readFile(join(own, entry), 'latin1').catch(() => '');
      return text;
    },
  };
}

export interface AttackerRun {
  child: ChildProcess;
  /** JSON lines the script printed, parsed. */
  events: Record<string, unknown>[];
  /** Resolves with the first event that satisfies `test`; rejects after `ms`. */
  waitFor(test: (event: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  /** Ends it (SIGTERM) and waits. */
  stop(): Promise<void>;
  done: Promise<{ code: number | null; stderr: string }>;
}

/**
 * Runs `node script args` as the attacker: its uid and gid, no supplementary groups, a bare
 * environment, in its folder. The script prints one JSON object per line on stdout.
 */
export function runAsAttacker(space: AttackerSpace, script: string, args: string[]): AttackerRun {
  const { uid, gid } = space.user;
  return watch(
    spawn('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', process.execPath, script, ...args], {
      cwd: space.dir,
      env: { PATH: '/usr/bin:/bin', HOME: space.own },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** The same script as the test's own user (a program of the victim's that does not know the broker token). */
export function runAsVictim(script: string, args: string[]): AttackerRun {
  return watch(
    spawn(process.execPath, [script, ...args], { env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

function watch(child: ChildProcess): AttackerRun {
  const events: Record<string, unknown>[] = [];
  const waiters: { test: (e: Record<string, unknown>) => boolean; resolve: (e: Record<string, unknown>) => void }[] =
    [];
  let buffered = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      events.push(event);
      for (const w of waiters.splice(0)) {
        if (w.test(event)) w.resolve(event);
        else waiters.push(w);
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return {
    child,
    events,
    done,
    waitFor(test, ms = 10_000) {
      const seen = events.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`attacker did not report in ${ms} ms; events ${JSON.stringify(events)}; stderr ${stderr}`),
            ),
          ms,
        );
        waiters.push({
          test,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
        void done.then(() => {
          clearTimeout(timer);
          reject(new Error(`attacker ended; events ${JSON.stringify(events)}; stderr ${stderr}`));
        });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await done;
    },
  };
}
