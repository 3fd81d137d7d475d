import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInSession, type Outcome } from '../../helpers/keyring-session.js';

const HAS_SESSION = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('../../helpers/keyring-child.ts', import.meta.url));
const SECRET = 'rt-VERY-SECRET-VALUE-42';

/**
 * Every case runs twice: with the native calls in this process (the desktop app, the broker's
 * library use) and in the helper process (the CLI), whose answers must be classified the same.
 */
const MODES = [
  { name: 'in process', env: {}, startup: 0 },
  // The first call also waits for the helper to start (a Node process, more on a loaded machine).
  { name: 'in the helper process', env: { KEYRING_ISOLATE: '1' }, startup: 1000 },
] as const;

/** Runs the child with a D-Bus address that leads nowhere. */
async function runWithBadBus(ops: string[], extraEnv: NodeJS.ProcessEnv): Promise<Outcome[]> {
  const env = { ...process.env, ...extraEnv, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...ops], { cwd: ROOT, env });
  let stdout = '';
  proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  await new Promise((resolve) => proc.on('close', resolve));
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Outcome);
}

function expectFailure(outcome: Outcome | undefined, code: string, maxMs: number): void {
  expect(outcome).toMatchObject({ ok: false, code });
  expect(outcome?.ms).toBeLessThan(maxMs);
  // Neither our words nor anything in the cause chain carries the secret.
  expect(outcome?.causeText).not.toContain(SECRET);
}

for (const mode of MODES) {
  describe(`KeyringSecretStore when the keychain cannot be reached (${mode.name})`, () => {
    it('gives KEYCHAIN_UNAVAILABLE at once when D-Bus is not there, and never falls back', async () => {
      const [get, set, del, again] = await runWithBadBus(
        ['get:acct', `set:acct:${SECRET}`, 'delete:acct', 'get:acct'],
        mode.env,
      );
      expectFailure(get, 'KEYCHAIN_UNAVAILABLE', 500 + mode.startup);
      for (const outcome of [set, del, again]) expectFailure(outcome, 'KEYCHAIN_UNAVAILABLE', 500);
      expect(get?.message).toMatch(/start or unlock your keyring \(GNOME Keyring, KWallet\)/i);
    });
  });

  describe.skipIf(!HAS_SESSION)(
    `KeyringSecretStore in private sessions (${mode.name}; needs DBUS_SESSION_BUS_ADDRESS)`,
    () => {
      it('gives KEYCHAIN_UNAVAILABLE when the bus has no Secret Service', async () => {
        const [first, ...rest] = await runInSession(
          'no-secret-service',
          ['get:acct', `set:acct:${SECRET}`, 'delete:acct'],
          mode.env,
        );
        expectFailure(first, 'KEYCHAIN_UNAVAILABLE', 500 + mode.startup);
        for (const outcome of rest) expectFailure(outcome, 'KEYCHAIN_UNAVAILABLE', 500);
      });

      it('gives KEYCHAIN_LOCKED fast when the collection is locked and no prompt can be shown', async () => {
        const [set, get, lock, lockedGet, lockedSet, lockedDelete, other] = await runInSession(
          'keyring',
          [
            `set:acct:${SECRET}`,
            'get:acct',
            'lock',
            'get:acct',
            `set:acct:${SECRET}-2`,
            'delete:acct',
            'get:never-stored',
          ],
          mode.env,
        );
        expect(set).toMatchObject({ ok: true });
        expect(get).toMatchObject({ ok: true, value: SECRET });
        expect(lock).toMatchObject({ ok: true });
        for (const outcome of [lockedGet, lockedSet, lockedDelete]) expectFailure(outcome, 'KEYCHAIN_LOCKED', 1500);
        expect(lockedGet?.message).toMatch(/keychain is locked/);
        // A search that matches nothing needs no unlocking.
        expect(other).toMatchObject({ ok: true, value: null });
      });

      it('settles within 2 s with KEYCHAIN_UNAVAILABLE when an unlock prompt never answers', async () => {
        const [set, lock, get, set2, pending, other] = await runInSession(
          'hung-prompter',
          [`set:acct:${SECRET}`, 'lock', 'get:acct', `set:acct:${SECRET}-2`, 'pending', 'get:never-stored'],
          mode.env,
        );
        expect(set).toMatchObject({ ok: true });
        expect(lock).toMatchObject({ ok: true });
        for (const outcome of [get, set2]) {
          expectFailure(outcome, 'KEYCHAIN_UNAVAILABLE', 2300);
          expect(outcome?.ms).toBeGreaterThanOrEqual(1900);
          expect(outcome?.message).toMatch(/did not answer within 2 s/);
        }
        // The native call behind the timeout is still waiting on the prompt.
        expect(pending?.value).toBeGreaterThanOrEqual(1);
        // Other accounts are not queued behind the hung one.
        expect(other).toMatchObject({ ok: true, value: null });
        expect(other?.ms).toBeLessThan(500);
      });

      it('settles within about 2 s with KEYCHAIN_UNAVAILABLE when the keyring daemon hangs', async () => {
        const [set, stop, known, fresh] = await runInSession(
          'keyring',
          [
            `set:acct:${SECRET}`,
            'stop-daemon',
            'get:acct', // an existing entry: the timer ends the wait
            'get:new-account', // a new entry: its constructor blocks until libdbus gives up (~2 s)
          ],
          mode.env,
        );
        expect(set).toMatchObject({ ok: true });
        expect(stop).toMatchObject({ ok: true });
        expectFailure(known, 'KEYCHAIN_UNAVAILABLE', 2300);
        expectFailure(fresh, 'KEYCHAIN_UNAVAILABLE', 2300);
      });
    },
  );
}
