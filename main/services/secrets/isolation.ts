import { sharedKeychainHelper } from './keyring-helper.js';
import { SECRET_SERVICE } from './secret-store.js';

/**
 * Whether KeyringSecretStores made without an `isolate` option run their native calls in a helper
 * process. A module of its own so that the CLI entry can say so before anything else loads.
 */
let isolateByDefault = false;

/**
 * From now on, keychain calls run in a helper process. The CLI calls this: a finished command must
 * end even when a keychain call never does (an unlock prompt nobody answers).
 */
export function isolateKeychainCalls(on = true): void {
  isolateByDefault = on;
}

export function keychainCallsIsolated(): boolean {
  return isolateByDefault;
}

/**
 * Starts the helper now, when keychain calls are isolated: a command that will use the keychain
 * calls this before loading its modules, so the helper starts meanwhile rather than on first use.
 */
export function prestartKeychainHelper(): void {
  if (isolateByDefault) sharedKeychainHelper(SECRET_SERVICE).start();
}
