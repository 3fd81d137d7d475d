import type { ErrorCode } from '../services/core/errors.js';

/** Exit codes by what a script would do next; README documents this table. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  signInFailed: 3,
  needsSignIn: 4,
  keychain: 5,
  network: 6,
  storage: 7,
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: EXIT.usage,
  PROFILE_NOT_FOUND: EXIT.usage,
  PROFILE_EXISTS: EXIT.usage,
  NO_ACTIVE_PROFILE: EXIT.usage,
  ROLE_DURATION_TOO_LONG: EXIT.usage,
  ROLE_CYCLE: EXIT.usage,
  ROLE_SOURCE_IN_USE: EXIT.usage,
  EXEC_NESTED: EXIT.usage,
  ACCESS_DENIED: EXIT.signInFailed,
  AUTH_ERROR: EXIT.signInFailed,
  STATE_MISMATCH: EXIT.signInFailed,
  CALLBACK_INVALID: EXIT.signInFailed,
  SIGNIN_TIMEOUT: EXIT.signInFailed,
  SIGNIN_CANCELLED: EXIT.signInFailed,
  SIGNIN_IN_PROGRESS: EXIT.signInFailed,
  PORTS_IN_USE: EXIT.signInFailed,
  ID_TOKEN_INVALID: EXIT.signInFailed,
  NOT_SIGNED_IN: EXIT.needsSignIn,
  INVALID_GRANT: EXIT.needsSignIn,
  KEYCHAIN_UNAVAILABLE: EXIT.keychain,
  KEYCHAIN_LOCKED: EXIT.keychain,
  KEYCHAIN_ERROR: EXIT.keychain,
  NETWORK: EXIT.network,
  SERVER_ERROR: EXIT.network,
  BAD_RESPONSE: EXIT.network,
  STORE_CORRUPT: EXIT.storage,
  STORE_LOCKED: EXIT.storage,
  STORE_IO: EXIT.storage,
  CLI_CONFIG_LINK_BROKEN: EXIT.storage,
  // BROKER_UNAVAILABLE, BROKER_UNTRUSTED: EXIT.failure (the default).
  // CLI_CONFIG_DRIFT: EXIT.failure (the default), what `cli-config status` ends with when a link needs --fix.
  // REQUEST_SUPERSEDED, OPERATION_CANCELLED, SENDER_REFUSED: EXIT.failure (the default; the window's codes).
};

export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code] ?? EXIT.failure;
}
