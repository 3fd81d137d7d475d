import { AppError, isAppError } from '../core/errors.js';
import type { Profile } from '../profiles/schema.js';
import type { ProfileStore } from '../store/profile-store.js';
import {
  listProfileBuckets,
  type ProfileBuckets,
  type ProfileBucketsDeps,
  type ProfileBucketsOptions,
} from '../sts/profile-buckets.js';

/**
 * Every OSS bucket of a profile (`buckets`, the window's bucket pane). A profile that is not
 * signed in lists nothing from credentials held from before (signed out or refused elsewhere,
 * perhaps by another process): they are dropped and asked for again, which fails with the
 * sign-in's own code (NOT_SIGNED_IN, INVALID_GRANT, or the role chain's words).
 */
export async function profileBuckets(
  deps: ProfileBucketsDeps,
  profile: Profile,
  options: ProfileBucketsOptions = {},
): Promise<ProfileBuckets> {
  if (profile.status !== 'signed-in') deps.sts.forget(profile.id);
  try {
    return await listProfileBuckets(deps, profile, options);
  } catch (error) {
    // Credentials held from before the refusal (and those of roles assumed with them) go too.
    if (isAppError(error, 'INVALID_GRANT')) deps.sts.forget(profile.id);
    throw error;
  }
}

export interface ListingOptions extends Omit<ProfileBucketsOptions, 'signal'> {
  /** How the profile is made ready (the window points a demo profile at the running demo site). */
  prepare?: (profileRef: string) => Promise<Profile>;
}

/**
 * The listings under way in a long-lived process (the window): one per profile. A newer listing
 * of the same profile supersedes the one before (REQUEST_SUPERSEDED); signing the profile out or
 * removing it stops its listing (OPERATION_CANCELLED), so no list outlives its sign-in.
 */
export class BucketListings {
  readonly #deps: ProfileBucketsDeps & { store: ProfileStore };
  readonly #running = new Map<string, AbortController>();

  constructor(deps: ProfileBucketsDeps & { store: ProfileStore }) {
    this.#deps = deps;
  }

  async list(profileRef: string, options: ListingOptions = {}): Promise<ProfileBuckets & { profile: Profile }> {
    const { prepare = (ref: string) => this.#deps.store.resolve(ref), ...rest } = options;
    this.#running
      .get(profileRef)
      ?.abort(new AppError('REQUEST_SUPERSEDED', 'A newer listing of these buckets replaced this one.'));
    const listing = new AbortController();
    this.#running.set(profileRef, listing);
    try {
      const profile = await prepare(profileRef);
      listing.signal.throwIfAborted();
      return { profile, ...(await profileBuckets(this.#deps, profile, { ...rest, signal: listing.signal })) };
    } catch (error) {
      // Whatever the abort surfaced as on its way up, the answer says why the listing stopped.
      if (listing.signal.aborted) throw listing.signal.reason;
      throw error;
    } finally {
      if (this.#running.get(profileRef) === listing) this.#running.delete(profileRef);
    }
  }

  /** Stops the listing of a profile (signed out, removed, pointed elsewhere). */
  stop(profileRef: string): void {
    this.#running.get(profileRef)?.abort(cancelled());
  }

  stopAll(): void {
    for (const listing of this.#running.values()) listing.abort(cancelled());
  }
}

function cancelled(): AppError {
  return new AppError('OPERATION_CANCELLED', 'The listing was stopped before it finished.');
}
