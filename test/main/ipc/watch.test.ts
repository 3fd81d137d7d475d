import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopBackend, type DesktopBackend } from '../../../main/ipc/backend.js';
import { unwrap } from '../../../main/ipc/result.js';
import { DataDirWatcher, type DataChange } from '../../../main/ipc/watch.js';
import { AuditLog } from '../../../main/services/broker/audit-log.js';
import { auditFile, brokerDir } from '../../../main/services/broker/paths.js';
import { MemorySecretStore } from '../../../main/services/secrets/memory-store.js';
import type { ProfilesSnapshot } from '../../../shared/contract.js';
import { startBrokerFixture, type BrokerFixture, type ServeHandle } from '../../helpers/broker-fixture.js';
import { runCli } from '../../helpers/cli.js';
import { HAS_KEYRING, needsKeyring } from '../../helpers/signin-fixture.js';

/** Resolves with the first value `take` finds in an event, or fails after `ms`. */
function nextMatching<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  take: (value: T) => boolean,
  ms: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no matching event within ${ms} ms`));
    }, ms);
    const stop = subscribe((value) => {
      if (!take(value)) return;
      clearTimeout(timer);
      stop();
      resolve(value);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the data folder watcher', () => {
  let dir: string;
  let watcher: DataDirWatcher | undefined;
  const batches: Array<Set<DataChange>> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alicloud-signin-watch-'));
  });
  afterEach(() => {
    watcher?.close();
    batches.length = 0;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const start = () => {
    watcher = new DataDirWatcher({
      dataDir: dir,
      debounceMs: 60,
      onChange: (changes) => batches.push(new Set(changes)),
    }).start();
  };
  const settled = async () => {
    // Two debounce periods of quiet.
    await sleep(200);
    return batches.map((batch) => [...batch].sort());
  };

  it('reports a burst of writes to the profiles file once, and ignores other files', async () => {
    start();
    for (let i = 0; i < 20; i++) await writeFile(join(dir, 'profiles.json'), `{"n":${i}}`);
    await writeFile(join(dir, 'notes.txt'), 'not ours');
    expect(await settled()).toEqual([['profiles']]);
    await writeFile(join(dir, 'other.json'), '{}');
    expect(await settled()).toEqual([['profiles']]);
  });

  it('picks up a broker folder made after it started: the endpoint and the audit log', async () => {
    start();
    await mkdir(join(dir, 'broker'));
    await settled();
    batches.length = 0;
    await writeFile(join(dir, 'broker', 'endpoint.json'), '{}');
    expect(await settled()).toEqual([['broker']]);
    batches.length = 0;
    await appendFile(join(dir, 'broker', 'audit.jsonl'), '{}\n');
    expect(await settled()).toEqual([['audit']]);
  });

  it('reports nothing once closed, and a missing folder is no error', async () => {
    start();
    watcher?.close();
    await writeFile(join(dir, 'profiles.json'), '{}');
    expect(await settled()).toEqual([]);
    const missing = new DataDirWatcher({ dataDir: join(dir, 'nowhere'), onChange: () => undefined }).start();
    missing.close();
  });
});

describe('live updates: the CLI changes the profiles, the open window hears of it', () => {
  let home: string;
  let backend: DesktopBackend;
  const snapshots: ProfilesSnapshot[] = [];
  const env = () => ({ ALICLOUD_SIGNIN_HOME: home });

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'alicloud-signin-live-'));
    backend = createDesktopBackend({
      dataDir: home,
      secrets: new MemorySecretStore(),
      demo: false,
      openBrowser: async () => undefined,
    });
    backend.events.subscribe('profiles-changed', (snapshot) => snapshots.push(snapshot));
  });
  afterAll(async () => {
    await backend?.close();
    await rm(home, { recursive: true, force: true });
  });

  const names = (snapshot: ProfilesSnapshot) => snapshot.profiles.map((p) => p.name);
  /** Runs the CLI, listening from before it starts; resolves with when the awaited snapshot came, from the command's end. */
  async function cliThenEvent(args: string[], take: (snapshot: ProfilesSnapshot) => boolean) {
    const heard = nextMatching<ProfilesSnapshot>(
      (listener) => backend.events.subscribe('profiles-changed', listener),
      take,
      15_000,
    ).then((snapshot) => ({ snapshot, at: performance.now() }));
    const run = await runCli(args, { env: env() });
    const ended = performance.now();
    expect(run.code, run.stderr).toBe(0);
    const { snapshot, at } = await heard;
    // Negative: the window heard of it before the command had even exited.
    return { snapshot, afterEndMs: Math.round(at - ended) };
  }

  it('a profile added by the CLI is announced within a second of the command ending', async () => {
    const { snapshot, afterEndMs } = await cliThenEvent(['profile', 'add', 'from-cli', '--site', 'cn'], (s) =>
      names(s).includes('from-cli'),
    );
    console.log(`CLI profile add -> profiles-changed: ${afterEndMs} ms after the command ended`);
    expect(afterEndMs).toBeLessThan(1_000);
    expect(snapshot.profiles.find((p) => p.name === 'from-cli')).toMatchObject({
      site: 'cn',
      status: 'signed-out',
      active: true,
    });
  });

  it('the CLI switching and removing profiles is announced too', async () => {
    await cliThenEvent(['profile', 'add', 'second', '--site', 'intl'], (s) => names(s).includes('second'));
    const used = await cliThenEvent(['use', 'second'], (s) => s.profiles.find((p) => p.active)?.name === 'second');
    const removed = await cliThenEvent(['profile', 'remove', 'from-cli'], (s) => !names(s).includes('from-cli'));
    for (const { afterEndMs } of [used, removed]) expect(afterEndMs).toBeLessThan(1_000);
  });

  it('the window’s own change is announced once, not again by the watcher', async () => {
    snapshots.length = 0;
    unwrap(await backend.handlers['profiles:add']({ name: 'in-window', preset: 'cn' }));
    await sleep(600);
    expect(snapshots.filter((snapshot) => names(snapshot).includes('in-window'))).toHaveLength(1);
  });

  it('with watch: false nothing but the handlers announce', async () => {
    const quiet = createDesktopBackend({
      dataDir: home,
      secrets: new MemorySecretStore(),
      demo: false,
      watch: false,
      openBrowser: async () => undefined,
    });
    const heard: ProfilesSnapshot[] = [];
    quiet.events.subscribe('profiles-changed', (snapshot) => heard.push(snapshot));
    try {
      // The watching backend hears it; the other one, not watching, hears nothing.
      await cliThenEvent(['profile', 'add', 'unheard', '--site', 'cn'], (s) => names(s).includes('unheard'));
      expect(heard).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});

describe('live updates: the broker’s audit log changed, the open window hears of it', () => {
  let home: string;
  let backend: DesktopBackend;
  const changes: string[] = [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'alicloud-signin-audit-live-'));
    backend = createDesktopBackend({
      dataDir: home,
      secrets: new MemorySecretStore(),
      demo: false,
      openBrowser: async () => undefined,
    });
    backend.events.subscribe('audit-changed', ({ at }) => changes.push(at));
  });
  afterAll(async () => {
    await backend?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('a burst of audit lines is one audit-changed; a profiles change is none', async () => {
    // The broker's own writer, as `serve` and the app use it (flushes every 250 ms).
    const log = new AuditLog(auditFile(home), { flushMs: 20 });
    // The broker folder is made by the first write; the watcher follows it.
    await mkdir(brokerDir(home), { recursive: true, mode: 0o700 });
    await sleep(200);
    changes.length = 0;
    const started = performance.now();
    const heard = nextMatching<{ at: string }>(
      (l) => backend.events.subscribe('audit-changed', l),
      () => true,
      5_000,
    );
    for (let i = 0; i < 5; i++) {
      log.record({ profile: 'p', mode: 'External', outcome: 'ok' });
      await log.flush();
    }
    await heard;
    expect(performance.now() - started).toBeLessThan(1_000);
    await sleep(300);
    expect(changes).toHaveLength(1);
    expect(Date.parse(changes[0] ?? '')).not.toBeNaN();

    changes.length = 0;
    unwrap(await backend.handlers['profiles:add']({ name: 'quiet', preset: 'cn' }));
    await sleep(300);
    expect(changes).toEqual([]);
  });
});

describe.skipIf(!HAS_KEYRING)(
  needsKeyring('live updates: a CLI credentials call through `serve` reaches the open window’s audit'),
  () => {
    let fx: BrokerFixture;
    let serve: ServeHandle;
    let backend: DesktopBackend;

    beforeAll(async () => {
      fx = await startBrokerFixture();
      serve = await fx.serve();
      // The window's backend on the same data folder, not the broker itself (`serve` is).
      backend = createDesktopBackend({
        dataDir: fx.dataDir,
        env: { ...process.env, ...fx.env },
        secrets: new MemorySecretStore(),
        demo: false,
        openBrowser: async () => undefined,
      });
    }, 60_000);
    afterAll(async () => {
      await backend?.close();
      await serve?.stop();
      await fx?.close();
    });

    it('audit-changed within a second of `credentials` ending, and the window’s audit:list has its line', async () => {
      const heard = nextMatching<{ at: string }>(
        (l) => backend.events.subscribe('audit-changed', l),
        () => true,
        10_000,
      ).then(() => performance.now());
      const result = await fx.ok(['credentials', 'demo']);
      const ended = performance.now();
      expect(JSON.parse(result.stdout)).toMatchObject({ mode: 'StsToken' });
      const afterEndMs = Math.round((await heard) - ended);
      console.log(`CLI credentials through serve -> audit-changed: ${afterEndMs} ms after the command ended`);
      expect(afterEndMs).toBeLessThan(1_000);
      const { entries } = unwrap(await backend.handlers['audit:list']({}));
      expect(entries[0]).toMatchObject({ profile: 'demo', mode: 'External', outcome: 'ok' });
    });
  },
);
