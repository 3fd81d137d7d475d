import { AppError } from '../core/errors.js';

/** The keychain service name every secret of this app is stored under. */
export const SECRET_SERVICE = 'alicloud-signin';

/**
 * Where secrets (refresh tokens) live. Implementations never fall back to plaintext, and their
 * error messages never contain a secret.
 */
export interface SecretStore {
  /** The secret for `account`, or null if there is none. */
  get(account: string): Promise<string | null>;
  /** Whether there is a secret for `account`; where the keychain allows, without reading it or prompting. */
  has(account: string): Promise<boolean>;
  /** Stores (or replaces) the secret for `account`. */
  set(account: string, secret: string): Promise<void>;
  /** Deletes the secret for `account`; false if there was none. */
  delete(account: string): Promise<boolean>;
}

/** Accounts are short printable names (e.g. `refresh:<profileId>`); secrets are non-empty. */
export function checkAccount(account: string): void {
  if (typeof account !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(account)) {
    throw new AppError('INVALID_INPUT', 'A keychain account name must be 1 to 200 printable ASCII characters.');
  }
}

export function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new AppError('INVALID_INPUT', 'An empty secret cannot be stored in the keychain.');
  }
}
