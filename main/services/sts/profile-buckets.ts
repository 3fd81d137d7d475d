import { defaultOssEndpoint } from '../auth/sites.js';
import { isAppError, type AppError } from '../core/errors.js';
import type { FetchLike } from '../net/http.js';
import { listBuckets } from '../oss/list-buckets.js';
import type { ListBucketsResult } from '../oss/types.js';
import type { Profile } from '../profiles/schema.js';
import type { StsService, TimeSource } from './sts-service.js';

export interface ProfileBucketsDeps {
  sts: StsService;
  fetch: FetchLike;
  /** Server time per origin (a ServerClock); requests are signed in OSS's time. */
  clock?: TimeSource & { offsetMs(origin?: string): number };
}

export interface ProfileBucketsOptions {
  prefix?: string;
  resourceGroupId?: string;
  signal?: AbortSignal;
  onPage?: (progress: { page: number; received: number; truncated: boolean }) => void;
}

export interface ProfileBuckets extends ListBucketsResult {
  /** The OSS endpoint that was asked. */
  endpoint: string;
}

/** A clock correction worth a second try after OSS refused the time (well under its 15 min). */
const RESIGN_AFTER_MS = 60_000;

/**
 * Every OSS bucket a signed-in profile can see: STS credentials from the exchange (renewed once
 * when OSS calls them expired or unknown), requests signed in OSS's time. The whole list or an
 * AppError, never part of a list.
 */
export async function listProfileBuckets(
  deps: ProfileBucketsDeps,
  profile: Profile,
  options: ProfileBucketsOptions = {},
): Promise<ProfileBuckets> {
  const endpoint = profile.ossEndpoint ?? defaultOssEndpoint(profile.region);
  const origin = originOf(endpoint);
  const { sts, clock } = deps;
  let signedWithOffset = 0;
  let pages = 0;
  const run = () =>
    listBuckets({
      fetch: deps.fetch,
      endpoint,
      region: profile.region,
      credentials: () => sts.credentials(profile.id, { signal: options.signal }),
      renew: () => sts.credentials(profile.id, { forceRenew: true, signal: options.signal }),
      ...(options.prefix ? { prefix: options.prefix } : {}),
      ...(options.resourceGroupId ? { resourceGroupId: options.resourceGroupId } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onPage: (progress) => {
        pages = progress.page;
        options.onPage?.(progress);
      },
      now: () => {
        signedWithOffset = clock?.offsetMs(origin) ?? 0;
        return new Date(clock?.now(origin) ?? Date.now());
      },
    });
  try {
    return { endpoint, ...(await run()) };
  } catch (error) {
    if (!isAppError(error) || !(await worthAnotherTry(error))) throw error;
    pages = 0;
    return { endpoint, ...(await run()) };
  }

  /** Whether starting the listing over can succeed where this attempt failed. */
  async function worthAnotherTry(error: AppError): Promise<boolean> {
    if (error.code === 'OSS_CLOCK_SKEW') {
      // OSS's own answer told the clock its time: when that moved the offset, sign again once.
      return (
        pages === 0 && clock !== undefined && Math.abs(clock.offsetMs(origin) - signedWithOffset) > RESIGN_AFTER_MS
      );
    }
    if (error.code === 'OSS_INVALID_ACCESS_KEY') {
      // Credentials OSS no longer knows: revoked with the grant (then this throws the sign-in's
      // own error, INVALID_GRANT), or ended on their own (then fresh ones list from the start).
      await sts.credentials(profile.id, { forceRenew: true, signal: options.signal });
      return true;
    }
    return false;
  }
}

function originOf(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).origin;
  } catch {
    return undefined;
  }
}
