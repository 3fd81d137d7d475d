/**
 * Every failure code, in one list both sides share: services throw AppErrors with them (main/
 * services/core/errors.ts), the CLI maps them to exit codes, the window turns them into words. A
 * code is a stable name a test can assert; the words that go with it never hold a secret.
 */
export const ERROR_CODES = [
  // configuration and input
  'INVALID_INPUT',
  'PROFILE_NOT_FOUND',
  'PROFILE_EXISTS',
  'NO_ACTIVE_PROFILE',
  'NOT_SIGNED_IN',
  // storage
  'STORE_CORRUPT',
  'STORE_LOCKED',
  'STORE_IO',
  'STORE_NEWER_VERSION',
  // keychain
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_LOCKED',
  'KEYCHAIN_ERROR',
  // sign-in
  'ACCESS_DENIED',
  'AUTH_ERROR',
  'STATE_MISMATCH',
  'CALLBACK_INVALID',
  'SIGNIN_TIMEOUT',
  'SIGNIN_CANCELLED',
  'SIGNIN_IN_PROGRESS',
  'PORTS_IN_USE',
  'ID_TOKEN_INVALID',
  // tokens
  'INVALID_GRANT',
  'TOKEN_ERROR',
  'NETWORK',
  'SERVER_ERROR',
  'BAD_RESPONSE',
  // STS and OSS
  'EXCHANGE_NOT_ALLOWED',
  'EXCHANGE_FAILED',
  'OSS_SECURITY_TOKEN_EXPIRED',
  'OSS_ACCESS_DENIED',
  'OSS_INVALID_ACCESS_KEY',
  'OSS_SIGNATURE_MISMATCH',
  'OSS_CLOCK_SKEW',
  'OSS_ERROR',
  'OSS_BAD_RESPONSE',
  // RAM role profiles
  'ROLE_NOT_ASSUMABLE',
  'ROLE_DURATION_TOO_LONG',
  'ROLE_CYCLE',
  'ROLE_SOURCE_IN_USE',
  // broker
  'BROKER_UNAVAILABLE',
  'BROKER_UNTRUSTED',
  // the aliyun CLI's config.json
  'CLI_CONFIG_DRIFT',
  'CLI_CONFIG_LINK_BROKEN',
  // exec
  'EXEC_NESTED',
  // work in flight: a newer request of the same kind replaced it, or it was stopped
  'REQUEST_SUPERSEDED',
  'OPERATION_CANCELLED',
  // the window: a message that did not come from the app's own page
  'SENDER_REFUSED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}
