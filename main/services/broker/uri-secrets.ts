import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store.js';

/** The keychain account of a profile's CredentialsURI secret (the refresh token's is the id). */
export function uriSecretAccount(profileId: string): string {
  return `broker-uri:${profileId}`;
}

/** 256 random bits, base64url (43 characters): the last path segment of the credentials URI. */
export function newUriSecret(): string {
  return randomBytes(32).toString('base64url');
}

const SECRET_FORM = /^[A-Za-z0-9_-]{43}$/;

/** Compares in constant time; both sides are 43-character base64url strings (32 bytes). */
export function secretsMatch(presented: string, expected: Buffer): boolean {
  if (!SECRET_FORM.test(presented)) return false;
  const bytes = Buffer.from(presented, 'base64url');
  // Base64 decoding ignores the unused low bits of the last character, so several texts decode
  // to the same bytes; accept only the one canonical spelling (it depends on the caller's input only).
  if (bytes.toString('base64url') !== presented) return false;
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/**
 * The per-profile CredentialsURI secrets, read from the keychain once per profile and then kept
 * in memory: a burst of requests must not turn into a burst of keychain reads (about 1,000 of
 * them stall the D-Bus session). Reads are single-flight; `rotate` replaces the secret in the
 * keychain and in memory, so the old URL stops working at once.
 */
export class UriSecrets {
  readonly #secrets: SecretStore;
  readonly #held = new Map<string, Buffer | null>();
  readonly #reading = new Map<string, Promise<Buffer | null>>();
  /** Per profile, bumped by every change, so a read that started before one cannot win over it. */
  readonly #generation = new Map<string, number>();

  constructor(secrets: SecretStore) {
    this.#secrets = secrets;
  }

  /** Whether `presented` is the profile's secret. A profile without a secret matches nothing. */
  async verify(profileId: string, presented: string): Promise<boolean> {
    const expected = this.#held.has(profileId) ? this.#held.get(profileId) : await this.#read(profileId);
    return expected ? secretsMatch(presented, expected) : false;
  }

  /** Whether `presented` matches the secret held in memory; undefined when none is held yet (use `verify`). */
  peek(profileId: string, presented: string): boolean | undefined {
    const expected = this.#held.get(profileId);
    return expected ? secretsMatch(presented, expected) : expected === null ? false : undefined;
  }

  /** The profile's secret, created and stored in the keychain when it has none yet. */
  async ensure(profileId: string): Promise<string> {
    const existing = await this.#secrets.get(uriSecretAccount(profileId));
    if (existing && SECRET_FORM.test(existing)) {
      this.#remember(profileId, existing);
      return existing;
    }
    return this.rotate(profileId);
  }

  /** A new secret for the profile; the previous one stops matching before this returns. */
  async rotate(profileId: string): Promise<string> {
    const secret = newUriSecret();
    this.#bump(profileId);
    this.#held.set(profileId, null); // refuse the old one while the keychain write runs
    try {
      await this.#secrets.set(uriSecretAccount(profileId), secret);
    } catch (error) {
      this.#held.delete(profileId); // the keychain decides again on the next request
      throw error;
    }
    this.#remember(profileId, secret);
    return secret;
  }

  /** Removes the profile's secret from the keychain (profile removed, or URI mode switched off). */
  async remove(profileId: string): Promise<void> {
    this.#bump(profileId);
    this.#held.set(profileId, null);
    await this.#secrets.delete(uriSecretAccount(profileId));
  }

  /** Forgets what is held in memory, so the next request reads the keychain again. */
  reload(profileId?: string): void {
    for (const id of profileId === undefined ? [...this.#held.keys(), ...this.#reading.keys()] : [profileId]) {
      this.#bump(id);
      this.#held.delete(id);
    }
  }

  #remember(profileId: string, secret: string): void {
    this.#bump(profileId);
    this.#held.set(profileId, Buffer.from(secret, 'base64url'));
  }

  #bump(profileId: string): void {
    this.#generation.set(profileId, (this.#generation.get(profileId) ?? 0) + 1);
  }

  #read(profileId: string): Promise<Buffer | null> {
    let running = this.#reading.get(profileId);
    if (!running) {
      const started = this.#load(profileId).finally(() => {
        if (this.#reading.get(profileId) === started) this.#reading.delete(profileId);
      });
      running = started;
      this.#reading.set(profileId, running);
    }
    return running;
  }

  async #load(profileId: string): Promise<Buffer | null> {
    for (;;) {
      const generation = this.#generation.get(profileId) ?? 0;
      const value = await this.#secrets.get(uriSecretAccount(profileId));
      const secret = value && SECRET_FORM.test(value) ? Buffer.from(value, 'base64url') : null;
      if (generation === (this.#generation.get(profileId) ?? 0)) {
        this.#held.set(profileId, secret);
        return secret;
      }
      // Rotated or removed meanwhile: that result counts. Reloaded: this read may be older, read again.
      if (this.#held.has(profileId)) return this.#held.get(profileId) ?? null;
    }
  }
}
