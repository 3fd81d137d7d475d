/**
 * One error class for every service, with a stable `code` that tests assert and the UI/CLI
 * turn into words. `message` is already in plain words and never holds a secret.
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
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isAppError(value: unknown, code?: ErrorCode): value is AppError {
  return value instanceof AppError && (code === undefined || value.code === code);
}

/** Wraps anything thrown into an AppError without copying its message (it may hold a secret). */
export function toAppError(error: unknown, fallback: ErrorCode = 'INTERNAL'): AppError {
  if (error instanceof AppError) return error;
  return new AppError(fallback, 'Something unexpected went wrong.', { cause: error });
}
