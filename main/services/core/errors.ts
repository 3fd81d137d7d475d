import type { ErrorCode } from '../../../shared/errors.js';

// The codes are shared with the window (shared/errors.ts); the class that carries them is main's.
export { ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';

/**
 * One error class for every service, with a stable `code` that tests assert and the UI/CLI
 * turn into words. `message` is already in plain words and never holds a secret.
 */
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
