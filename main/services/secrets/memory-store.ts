import { checkAccount, checkSecret, type SecretStore } from './secret-store.js';

/**
 * An in-memory SecretStore for unit tests of other modules. It records every call so a test can
 * assert how often the keychain was reached.
 */
export class MemorySecretStore implements SecretStore {
  readonly calls: { op: 'get' | 'has' | 'set' | 'delete'; account: string }[] = [];
  private readonly secrets = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [account, secret] of Object.entries(initial)) this.secrets.set(account, secret);
  }

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    this.calls.push({ op: 'get', account });
    return this.secrets.get(account) ?? null;
  }

  async has(account: string): Promise<boolean> {
    checkAccount(account);
    this.calls.push({ op: 'has', account });
    return this.secrets.has(account);
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    checkSecret(secret);
    this.calls.push({ op: 'set', account });
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    this.calls.push({ op: 'delete', account });
    return this.secrets.delete(account);
  }

  /** The accounts that hold a secret now. */
  accounts(): string[] {
    return [...this.secrets.keys()];
  }
}
