import { AppError, ERROR_CODES, toAppError, type ErrorCode } from '../services/core/errors.js';
import type { Result, WireError } from '../../shared/contract.js';

const KNOWN = new Set<string>(ERROR_CODES);

/**
 * What a failure looks like on the wire: the stable code and the plain-words message of an
 * AppError; anything else becomes INTERNAL without its message (which may hold a secret).
 */
export function toWireError(error: unknown): WireError {
  // A sign-in and a listing say why they stopped themselves; any other abort just stopped.
  if (isAbort(error)) return { code: 'OPERATION_CANCELLED', message: 'Cancelled.' };
  const coded = toAppError(error);
  return { code: asErrorCode(coded.code), message: coded.message };
}

/** A code from elsewhere (a service's report), kept when it is one of ours, else INTERNAL. */
export function asErrorCode(code: string): ErrorCode {
  return KNOWN.has(code) ? (code as ErrorCode) : 'INTERNAL';
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(error: unknown): { ok: false; error: WireError } {
  return { ok: false, error: toWireError(error) };
}

/** Unwraps a result inside main (the tray calls handlers too), turning a failure back into an AppError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new AppError(result.error.code, result.error.message);
}

function isAbort(error: unknown): boolean {
  return (
    (error instanceof DOMException || error instanceof Error) &&
    (error.name === 'AbortError' || error.name === 'TimeoutError') &&
    !(error instanceof AppError)
  );
}
