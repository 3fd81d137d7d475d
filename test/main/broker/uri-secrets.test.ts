import { describe, expect, it } from 'vitest';
import { secretsMatch, UriSecrets, uriSecretAccount } from '../../../main/services/broker/uri-secrets.js';
import { MemorySecretStore } from '../../../main/services/secrets/memory-store.js';

describe('per-profile CredentialsURI secrets', () => {
  it('are 256-bit, verified in constant time, and a profile without one matches nothing', async () => {
    const store = new MemorySecretStore();
    const secrets = new UriSecrets(store);
    expect(await secrets.verify('p1', 'x'.repeat(43))).toBe(false);
    const secret = await secrets.ensure('p1');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(await store.get(uriSecretAccount('p1'))).toBe(secret);
    expect(await secrets.verify('p1', secret)).toBe(true);
    expect(await secrets.verify('p1', `${secret.slice(0, 42)}${secret.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(secretsMatch(`${secret}=`, Buffer.from(secret, 'base64url'))).toBe(false);
    // The last character's two low bits are padding: the other spellings decode to the same bytes,
    // and must still be refused (one canonical URL per secret).
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(secret.slice(-1));
    for (let low = 0; low < 4; low++) {
      const spelling = `${secret.slice(0, 42)}${alphabet[(last & ~3) | low]}`;
      expect(secretsMatch(spelling, Buffer.from(secret, 'base64url')), spelling).toBe(spelling === secret);
    }
    expect(await secrets.ensure('p1')).toBe(secret);
  });

  it('reads the keychain once for a burst of 1,000 requests', async () => {
    const store = new MemorySecretStore();
    const secret = await new UriSecrets(store).ensure('p1');
    store.calls.length = 0;
    const secrets = new UriSecrets(store);
    const results = await Promise.all(Array.from({ length: 1000 }, () => secrets.verify('p1', secret)));
    expect(results.every(Boolean)).toBe(true);
    expect(store.calls.filter((c) => c.op === 'get')).toHaveLength(1);
  });

  it('rotation ends the old secret at once, also for a read that was under way', async () => {
    const store = new MemorySecretStore();
    const first = await new UriSecrets(store).ensure('p1');
    const secrets = new UriSecrets(store);
    const during = secrets.verify('p1', first); // reads the keychain
    const second = await secrets.rotate('p1');
    expect(await during).toBe(false);
    expect(await secrets.verify('p1', first)).toBe(false);
    expect(await secrets.verify('p1', second)).toBe(true);
    await secrets.remove('p1');
    expect(await secrets.verify('p1', second)).toBe(false);
    expect(await store.get(uriSecretAccount('p1'))).toBeNull();
  });
});
