import { AppError } from '../../main/services/core/errors.js';
import type { NewProfile } from '../../main/services/store/profile-store.js';

/** A minimal cn profile for the store's tests, with `extra` over it. */
export function profileInput(name: string, extra: Partial<NewProfile> = {}): NewProfile {
  return {
    name,
    site: 'cn',
    region: 'cn-hangzhou',
    client: { clientId: 'client-1', redirect: { kind: 'loopback', ports: 0, callbackPath: '/callback' } },
    ...extra,
  };
}

/** The AppError `promise` rejects with (a test fails if it resolves, or rejects with anything else). */
export async function appFailure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}
