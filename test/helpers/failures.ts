import { expect } from 'vitest';
import { AppError, isAppError } from '../../main/services/core/errors.js';
import type { ErrorCode } from '../../shared/errors.js';

/** The AppError `promise` rejects with (a test fails if it resolves, or rejects with anything else). */
export async function appFailure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** The same, and its code must be `code` (the message is shown when it is not). */
export async function failsWith(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error), String(error)).toBe(true);
  expect((error as AppError).code, (error as AppError).message).toBe(code);
  return error as AppError;
}
