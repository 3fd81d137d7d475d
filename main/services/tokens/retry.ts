import { AppError } from '../core/errors.js';

/** Errors from which a refresh request surely never reached the site, so a retry cannot reuse a rotated token. */
const UNDELIVERED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Whether a failed refresh may be sent again. A 5xx or a connection that never opened is safe;
 * a timeout after the request went out is not: the site may have rotated the token already, and
 * replaying the old one would make it revoke the whole grant (RFC 9700 4.14.2).
 */
function isSafeToRetry(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.code === 'SERVER_ERROR') return true;
  if (error.code !== 'NETWORK') return false;
  for (let cause: unknown = error.cause; cause; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && UNDELIVERED.has(code)) return true;
  }
  return false;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300 };

/** Runs `fn` with exponential back-off (and jitter) while `isSafeToRetry` says so. */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= policy.attempts || !isSafeToRetry(error) || signal?.aborted) throw error;
      const delay = policy.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
