import { AppError } from '../core/errors.js';

export type KeyringOp = 'read' | 'save' | 'delete';

const VERB: Record<KeyringOp, string> = { read: 'read from', save: 'save to', delete: 'delete from' };

const UNLOCK_HINT =
  'Unlock your keyring (on Linux: GNOME Keyring or KWallet, usually unlocked when you sign in to the desktop) and try again.';
const START_HINT = 'Start or unlock your keyring (GNOME Keyring, KWallet) and try again.';

/**
 * Locked store: gnome-keyring answers "unlock prompt was dismissed" when its prompt cannot be
 * shown (no display) or is cancelled, and "object locked" when an item stays locked; macOS says
 * "User canceled" / "interaction is not allowed".
 */
const LOCKED = /object locked|prompt was dismissed|\block(ed)?\b|user cancel|interaction (is )?not allowed/i;
/** No D-Bus, no Secret Service on the bus, no default collection, a native library that did not load. */
const UNAVAILABLE =
  /platform failure|no dbus session|secret service provider|d-?bus|couldn't access platform storage|no default store|native binding/i;

/**
 * Turns an error from @napi-rs/keyring (its `code` is always "GenericFailure", so only the message
 * tells) into KEYCHAIN_LOCKED, KEYCHAIN_UNAVAILABLE or KEYCHAIN_ERROR with words for a person.
 * The native message is kept only as `cause`; it never holds the secret.
 */
export function keyringError(error: unknown, op: KeyringOp): AppError {
  if (error instanceof AppError) return error;
  const text = error instanceof Error ? error.message : String(error);
  if (LOCKED.test(text)) {
    return new AppError(
      'KEYCHAIN_LOCKED',
      `The system keychain is locked, so alicloud-signin could not ${VERB[op]} it. ${UNLOCK_HINT}`,
      {
        cause: error,
      },
    );
  }
  if (UNAVAILABLE.test(text)) {
    return new AppError(
      'KEYCHAIN_UNAVAILABLE',
      `The system keychain is not available, so alicloud-signin could not ${VERB[op]} it. ${START_HINT}`,
      {
        cause: error,
      },
    );
  }
  return new AppError(
    'KEYCHAIN_ERROR',
    `The system keychain refused to ${op} a sign-in secret. Try again; if it keeps failing, check your keyring.`,
    {
      cause: error,
    },
  );
}

/** A call that did not settle in time: a hung keyring daemon, or a password prompt nobody answers. */
export function keyringTimeout(op: KeyringOp, ms: number): AppError {
  return new AppError(
    'KEYCHAIN_UNAVAILABLE',
    `The system keychain did not answer within ${ms / 1000} s when asked to ${op === 'read' ? 'read' : op} a sign-in secret. ` +
      `It may be locked and waiting for a password prompt, or not running. ${START_HINT}`,
  );
}
