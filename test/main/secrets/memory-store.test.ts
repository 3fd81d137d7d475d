import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../main/services/secrets/memory-store.js';
import type { SecretStore } from '../../../main/services/secrets/secret-store.js';

describe('MemorySecretStore', () => {
  it('behaves like a SecretStore and records its calls', async () => {
    const store = new MemorySecretStore({ seeded: 's0' });
    const asInterface: SecretStore = store;
    expect(await asInterface.get('seeded')).toBe('s0');
    expect(await store.get('a')).toBeNull();
    await store.set('a', 'one');
    await store.set('a', 'two');
    expect(await store.get('a')).toBe('two');
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect(store.accounts()).toEqual(['seeded']);
    expect(store.calls.map((c) => `${c.op}:${c.account}`)).toEqual([
      'get:seeded',
      'get:a',
      'set:a',
      'set:a',
      'get:a',
      'delete:a',
      'delete:a',
    ]);
  });

  it('checks input like the keychain store', async () => {
    await expect(new MemorySecretStore().set('a', '')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(new MemorySecretStore().get('')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
