import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/services/core/errors.js';
import { KeyringSecretStore } from '../../../main/services/secrets/keyring-store.js';
import { SECRET_SERVICE } from '../../../main/services/secrets/secret-store.js';

const run = promisify(execFile);
const HAS_SESSION = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
if (!HAS_SESSION)
  console.warn('keyring tests skipped: DBUS_SESSION_BUS_ADDRESS is unset; run them under scripts/with-keyring.sh');

/** What `secret-tool` (libsecret, a different client) sees for the account, or null. */
async function lookup(account: string): Promise<string | null> {
  try {
    const { stdout } = await run('secret-tool', ['lookup', '--', 'service', SECRET_SERVICE, 'username', account]);
    return stdout;
  } catch {
    return null; // exit status 1: no such item
  }
}

/** How many calls of `member` reach the Secret Service while `fn` runs (seen by dbus-monitor). */
async function countSecretServiceCalls(member: string, fn: () => Promise<void>): Promise<number> {
  const monitor = spawn('dbus-monitor', ['--session', `type='method_call',interface='org.freedesktop.Secret.Service'`]);
  let text = '';
  monitor.stdout.on('data', (c: Buffer) => (text += c.toString()));
  // It prints NameAcquired/NameLost once it has become a monitor.
  for (let i = 0; i < 100 && !text.includes('NameLost'); i += 1) await sleep(20);
  try {
    await fn();
    await sleep(200);
  } finally {
    monitor.kill();
  }
  return text.split('\n').filter((line) => line.includes(`member=${member}`)).length;
}

const store = new KeyringSecretStore();
const used: string[] = [];
function account(label: string): string {
  const name = `test-${label}-${randomBytes(6).toString('hex')}`;
  used.push(name);
  return name;
}

afterAll(async () => {
  if (HAS_SESSION) await Promise.all(used.map((a) => store.delete(a).catch(() => false)));
});

/** The same behaviour with the native calls in this process, and in the helper process (the CLI's). */
const STORES = [
  ['in process', store],
  ['in the helper process', new KeyringSecretStore({ isolate: true })],
] as const;

for (const [mode, store] of STORES)
  describe.skipIf(!HAS_SESSION)(
    `KeyringSecretStore against gnome-keyring (${mode}; needs DBUS_SESSION_BUS_ADDRESS)`,
    () => {
      it('sets, gets and deletes a secret that other Secret Service clients see', async () => {
        const a = account('basic');
        const secret = `rt-${randomBytes(24).toString('base64url')}`;
        expect(await store.get(a)).toBeNull();
        await store.set(a, secret);
        expect(await store.get(a)).toBe(secret);
        expect(await lookup(a)).toBe(secret);
        // A second store (another process would do the same) reads it too.
        expect(await new KeyringSecretStore().get(a)).toBe(secret);
        expect(await store.delete(a)).toBe(true);
        expect(await store.get(a)).toBeNull();
        expect(await lookup(a)).toBeNull();
        expect(await store.delete(a)).toBe(false);
      });

      it('says whether a secret is stored with one SearchItems call, never opening a session to read it', async () => {
        const a = account('has');
        expect(await store.has(a)).toBe(false);
        await store.set(a, 'present');
        const calls = { search: 0, open: 0 };
        calls.search = await countSecretServiceCalls('SearchItems', async () => {
          calls.open = await countSecretServiceCalls('OpenSession', async () => {
            expect(await store.has(a)).toBe(true);
          });
        });
        expect(calls).toEqual({ search: 1, open: 0 });
        // A read, for comparison, opens a session (the check above can fail).
        expect(
          await countSecretServiceCalls('OpenSession', async () => void (await new KeyringSecretStore().get(a))),
        ).toBe(1);
        await store.delete(a);
        expect(await store.has(a)).toBe(false);
      });

      it('replaces a secret and keeps accounts apart', async () => {
        const a = account('one');
        const b = account('two');
        await store.set(a, 'first');
        await store.set(b, 'other');
        await store.set(a, 'second');
        expect(await store.get(a)).toBe('second');
        expect(await store.get(b)).toBe('other');
        expect(await lookup(a)).toBe('second');
      });

      it('keeps long and non-ASCII secrets intact', async () => {
        const a = account('unicode');
        const secret = `ключ-密钥-🔑-${'x'.repeat(4000)}`;
        await store.set(a, secret);
        expect(await store.get(a)).toBe(secret);
      });

      it('answers 300 concurrent reads of one account from one keychain call, quickly', async () => {
        const a = account('burst');
        await store.set(a, 'burst-secret');
        const searches = await countSecretServiceCalls('SearchItems', async () => {
          const started = Date.now();
          const values = await Promise.all(Array.from({ length: 300 }, () => store.get(a)));
          expect(new Set(values)).toEqual(new Set(['burst-secret']));
          expect(Date.now() - started).toBeLessThan(1000);
        });
        expect(searches).toBe(1);
      });

      it('never lets a read started before a write answer a read asked after it', async () => {
        const a = account('order');
        await store.set(a, 'old');
        const before = store.get(a);
        const write = store.set(a, 'new');
        const after = store.get(a);
        const removal = store.delete(a);
        const gone = store.get(a);
        expect(await before).toBe('old');
        await write;
        expect(await after).toBe('new');
        expect(await removal).toBe(true);
        expect(await gone).toBeNull();
      });

      it('works for many accounts at once (one entry each, reused)', async () => {
        const accounts = Array.from({ length: 30 }, (_, i) => account(`many${i}`));
        await Promise.all(accounts.map((a, i) => store.set(a, `secret-${i}`)));
        for (let round = 0; round < 3; round += 1) {
          expect(await Promise.all(accounts.map((a) => store.get(a)))).toEqual(accounts.map((_, i) => `secret-${i}`));
        }
        expect(store.pendingCalls).toBe(0);
      });
    },
  );

describe('KeyringSecretStore input checks', () => {
  it('refuses an empty secret or a bad account name before reaching the keychain', async () => {
    for (const promise of [
      store.set('ok-account', ''),
      store.get(''),
      store.delete('has space'),
      store.get('x'.repeat(201)),
    ]) {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    }
  });
});
