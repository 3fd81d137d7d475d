import { chmod, lstat, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditFile, brokerDir, endpointFile } from '../../../main/services/broker/paths.js';
import {
  attackerSpace,
  attackerUser,
  CAN_PLAY_ATTACKER,
  NOT_ROOT_REASON,
  runAsAttacker,
  runAsVictim,
  type AttackerSpace,
} from '../../helpers/other-user.js';
import { errorCode, HAS_KEYRING, keychainLookup } from '../../helpers/signin-fixture.js';
import { startBrokerFixture, type BrokerFixture } from '../../helpers/broker-fixture.js';
import { pathOf, rawRequest } from '../../helpers/broker-http.js';

// Another local user attacks the broker for real: its side runs with its own uid (setpriv), the
// victim is this test's user, the broker is the built CLI's `serve` over the real keychain.
// After each attack, everything the attacker received is searched for every secret the test
// issued (STS credentials, the refresh token, each broker token, the URI secret where it is not
// the premise of the attack).

const SCRIPT = fileURLToPath(new URL('../../helpers/attacker.mjs', import.meta.url));
const PWNED = '/tmp/alicloud-signin-pwned';
const READY = HAS_KEYRING && CAN_PLAY_ATTACKER;
const TITLE = READY
  ? 'another local user against the broker'
  : `another local user against the broker (${HAS_KEYRING ? NOT_ROOT_REASON : 'skipped: needs the keyring session'})`;

let fx: BrokerFixture;
let space: AttackerSpace;
let script: string;
/** Every broker token this file saw: none may reach the attacker. */
const brokerTokens: string[] = [];

beforeAll(async () => {
  if (!READY) return;
  fx = await startBrokerFixture();
  space = await attackerSpace(await attackerUser());
  script = await space.script('attacker.mjs', await readFile(SCRIPT, 'utf8'));
  // A home the other user may pass through, as many are: only the broker's own folder keeps them out.
  await chmod(fx.home, 0o755);
  await chmod(fx.dataDir, 0o755);
}, 120_000);
afterAll(async () => fx?.close());
afterEach(async () => {
  if (!READY) return;
  expect(await stat(PWNED).catch(() => undefined), 'the attacker ran code as the victim').toBeUndefined();
});

/** Starts the broker, notes its token, and kills it with SIGKILL: its socket and endpoint file stay behind. */
async function brokerGoneFilesLeft(): Promise<{ socket: string; token: string }> {
  const broker = await fx.serve();
  const endpoint = JSON.parse(await readFile(endpointFile(fx.dataDir), 'utf8')) as { socket: string; token: string };
  brokerTokens.push(endpoint.token);
  broker.child.kill('SIGKILL');
  await broker.done;
  expect((await lstat(endpoint.socket)).isSocket()).toBe(true);
  return endpoint;
}

/** Each secret by a label (never printed), for a leak search. */
async function secrets(options: { uriSecret: boolean }): Promise<[string, string][]> {
  const list: [string, string][] = brokerTokens.map((t, i) => [`broker token ${i}`, t]);
  for (const [i, sts] of fx.issued.entries()) {
    list.push([`STS key id ${i}`, sts.accessKeyId], [`STS secret ${i}`, sts.accessKeySecret]);
    list.push([`STS token ${i}`, sts.securityToken]);
  }
  const refresh = await keychainLookup(await fx.id('demo'));
  if (refresh) list.push(['refresh token', refresh]);
  if (options.uriSecret) {
    const uri = await keychainLookup(`broker-uri:${await fx.id('demo')}`);
    if (uri) list.push(['URI secret', uri]);
  }
  return list;
}

async function expectNothingLeaked(text: string, options = { uriSecret: true }): Promise<void> {
  const all = await secrets(options);
  expect(all.length).toBeGreaterThan(2);
  const leaked = all.filter(([, value]) => text.includes(value)).map(([label]) => label);
  expect(leaked, 'secrets found in what the attacker received').toEqual([]);
}

/** `credentials --format env`, as `eval "$(...)"` runs it: must print nothing and name a code. */
async function refusedCredentials(): Promise<string> {
  const result = await fx.cli(['credentials', '--format', 'env']);
  expect(result.stdout, 'nothing for eval to run').toBe('');
  expect(result.code).not.toBe(0);
  expect(errorCode(result)).toBe('BROKER_UNTRUSTED');
  return result.stderr;
}

describe.skipIf(!READY)(TITLE, () => {
  it('(a) the broker gone, its files left: its 0700 folder keeps the other user from the socket path', async () => {
    const { socket } = await brokerGoneFilesLeft();
    const attacker = runAsAttacker(space, script, ['unix', socket, space.own, '--replace']);
    expect(await attacker.waitFor((e) => e.event === 'unlink-failed')).toMatchObject({ code: 'EACCES' });
    expect(await attacker.waitFor((e) => e.event === 'listen-failed')).toMatchObject({ code: 'EACCES' });
    await attacker.done;

    // The broker's process is gone, so the client does not speak to its socket at all; it gets
    // the victim's own credentials from the keychain, as with no broker.
    const result = await fx.ok(['credentials', '--format', 'env']);
    const keyId = /ALIBABA_CLOUD_ACCESS_KEY_ID=(\S+)/.exec(result.stdout)?.[1] ?? '';
    expect(fx.sts.lookup(keyId)).toBeDefined();
    expect(attacker.events.filter((e) => e.event === 'connection')).toEqual([]);
    await expectNothingLeaked(await space.logs());
  });

  it('(a) a broker folder open to others: a replaced socket and a forged endpoint file are refused unread', async () => {
    const { socket } = await brokerGoneFilesLeft();
    await chmod(brokerDir(fx.dataDir), 0o777); // a misconfigured or shared data folder
    const attacker = runAsAttacker(space, script, [
      'unix',
      socket,
      space.own,
      '--replace',
      '--forge',
      endpointFile(fx.dataDir),
    ]);
    try {
      await attacker.waitFor((e) => e.event === 'forged');
      // The forged endpoint names the attacker's own token, so it would pass the challenge: the
      // folder and file checks are what refuse it, before a byte is sent.
      expect((await lstat(endpointFile(fx.dataDir))).uid).toBe(space.user.uid);
      const stderr = await refusedCredentials();
      expect(stderr).toContain('is open to other users (mode 0777)');
      expect(attacker.events.filter((e) => e.event === 'connection')).toEqual([]);
      await expectNothingLeaked(await space.logs());
    } finally {
      await attacker.stop();
      await rm(endpointFile(fx.dataDir), { force: true });
      await rm(socket, { force: true });
      await chmod(brokerDir(fx.dataDir), 0o700);
    }
  });

  it('(a) a socket of the other user placed at the path (by root) is refused before connecting', async () => {
    const { socket } = await brokerGoneFilesLeft();
    const own = join(space.own, 'fake.sock');
    const attacker = runAsAttacker(space, script, ['unix', own, space.own]);
    try {
      await attacker.waitFor((e) => e.event === 'listening');
      await rename(own, socket); // the listening socket now answers at the broker's path
      expect((await lstat(socket)).uid).toBe(space.user.uid);
      const stderr = await refusedCredentials();
      expect(stderr).toContain(`belongs to another user (uid ${space.user.uid})`);
      expect(attacker.events.filter((e) => e.event === 'connection')).toEqual([]);
      await expectNothingLeaked(await space.logs());
    } finally {
      await attacker.stop();
      await rm(socket, { force: true });
    }
  });

  it('(b) a fake broker that does not know the token fails the challenge and hears only a nonce', async () => {
    const { socket } = await brokerGoneFilesLeft();
    // The victim's own uid, so every ownership check passes: only the challenge can tell.
    const logDir = await mkdtemp(join(tmpdir(), 'fake-broker-'));
    const fake = runAsVictim(script, ['unix', socket, logDir, '--replace']);
    try {
      await fake.waitFor((e) => e.event === 'listening');
      // Its pid where the dead broker's was (a reused pid): the liveness check passes too.
      const endpoint = JSON.parse(await readFile(endpointFile(fx.dataDir), 'utf8')) as Record<string, unknown>;
      await writeFile(endpointFile(fx.dataDir), JSON.stringify({ ...endpoint, pid: fake.child.pid }), { mode: 0o600 });
      const stderr = await refusedCredentials();
      expect(stderr).toContain('did not prove it is the broker');
      const heard = (await readFile(join(logDir, 'unix.log'), 'utf8')).trim().split('\n');
      expect(heard.length).toBeGreaterThan(0);
      for (const line of heard) expect(Object.keys(JSON.parse(line) as object).sort()).toEqual(['nonce', 'op', 'v']);
      await expectNothingLeaked(heard.join('\n'));
    } finally {
      await fake.stop();
      await rm(socket, { force: true });
    }
  });

  it('(c) a URI path learned by squatting the port is refused with 403 and audited as refused-uid; an idle connection of theirs is closed in about 1 s', async () => {
    const url = await fx.url('demo');
    const squatter = runAsAttacker(space, script, ['tcp', String(fx.port), space.own]);
    await squatter.waitFor((e) => e.event === 'listening');
    // The victim's SDK asks while the broker is down: the other user sees the secret path.
    expect((await rawRequest(fx.port, pathOf(url))).status).toBe(503);
    const learned = String((await squatter.waitFor((e) => e.event === 'request')).url);
    expect(learned).toBe(pathOf(url));
    await squatter.stop();

    const broker = await fx.serve();
    try {
      brokerTokens.push((JSON.parse(await readFile(endpointFile(fx.dataDir), 'utf8')) as { token: string }).token);
      const mine = await rawRequest(fx.port, pathOf(url));
      expect(mine.status, 'the owner still gets credentials').toBe(200);
      const replay = runAsAttacker(space, script, ['get', String(fx.port), learned, space.own]);
      const answer = await replay.waitFor((e) => e.event === 'answer');
      expect(answer.status).toBe(403);
      expect(JSON.parse(String(answer.body))).toMatchObject({ Code: 'Forbidden' });
      await new Promise((resolve) => setTimeout(resolve, 500)); // the audit log is written every 250 ms
      const lines = (await readFile(auditFile(fx.dataDir), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toContainEqual(
        expect.objectContaining({ mode: 'CredentialsURI', outcome: 'refused-uid', uid: space.user.uid }),
      );
      // Nor can the other user hold one of the capped connections for the whole header timeout.
      const idle = runAsAttacker(space, script, ['idle', String(fx.port)]);
      const closed = await idle.waitFor((e) => e.event === 'closed');
      expect(Number(closed.afterMs)).toBeLessThan(3000);
      console.log(`an idle connection of another user: closed after ${String(closed.afterMs)} ms`);
      // The URI secret is what the attack starts from; nothing else may reach the attacker.
      await expectNothingLeaked(await space.logs(), { uriSecret: false });
      expect(await space.logs()).toContain(learned);
    } finally {
      await broker.stop();
    }
  });
});
