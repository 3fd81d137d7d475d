import { AppError, isAppError } from '../core/errors.js';
import type { FetchLike } from '../net/http.js';
import type { StsCredentials } from '../oss/types.js';
import type { Profile } from '../profiles/schema.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../tokens/retry.js';
import { assumeRole, type AssumeRoleOutcome } from './assume-role.js';
import { chainText, resolveChain, stsEndpointOf, type ProfileLookup } from './chain.js';
import { CHAINED_MAX_SECONDS, chainedTooLong, isRoleIdentity } from './settings.js';

export interface RoleCredentialDeps {
  fetch: FetchLike;
  lookup: ProfileLookup;
  /** The source profile's STS credentials (an StsService's own `credentials`, so they are shared and cached). */
  sourceCredentials(sourceId: string, forceRenew: boolean): Promise<StsCredentials>;
  /** Server time per origin; STS refuses a Timestamp too far from its own. */
  clock?: { now(origin?: string): number };
  retry?: RetryPolicy;
  signal?: AbortSignal;
}

export interface RoleCredentials {
  credentials: StsCredentials;
  /** Origin of the STS endpoint: the expiry is in that server's time. */
  origin: string;
  /** Every profile the credentials were derived from, nearest first: forgetting any of them forgets these. */
  sources: string[];
}

/**
 * Credentials for a role profile: the chain down to the signed-in profile is checked (no loop, no
 * missing link, the one-hour rule of a chained session), the source's credentials are fetched
 * (themselves cached and renewed), and STS AssumeRole is called with them. A source credential STS
 * no longer takes is renewed once; a clock STS calls wrong is corrected from its answer once.
 */
export async function assumeRoleProfile(deps: RoleCredentialDeps, profile: Profile): Promise<RoleCredentials> {
  const role = profile.role;
  if (!role) throw new AppError('INTERNAL', `Profile "${profile.name}" is not a role profile.`);
  const chain = await resolveChain(profile, deps.lookup);
  const source = chain[1] as Profile;
  const root = chain[chain.length - 1] as Profile;
  if (root.status === 'signed-out') {
    throw new AppError(
      'NOT_SIGNED_IN',
      `Role profile "${profile.name}" gets its credentials from "${root.name}" (${chainText(chain)}), which is not signed in. ` +
        `Run: alicloud-signin login ${root.name}`,
    );
  }
  if (isRoleIdentity(source) && role.durationSeconds > CHAINED_MAX_SECONDS) {
    throw chainedTooLong(role.durationSeconds, source.name);
  }
  const endpoint = stsEndpointOf(profile);
  const origin = new URL(endpoint).origin;
  const labels = { profileName: profile.name, sourceName: source.name };

  const sourceCredentials = (forceRenew: boolean) =>
    deps.sourceCredentials(source.id, forceRenew).catch((error: unknown) => {
      if (isAppError(error, 'NOT_SIGNED_IN') || isAppError(error, 'INVALID_GRANT')) {
        throw new AppError(
          error.code,
          `Role profile "${profile.name}" gets its credentials from "${root.name}" (${chainText(chain)}). ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    });
  const attempt = (source: StsCredentials): Promise<AssumeRoleOutcome> =>
    withRetry(
      () =>
        assumeRole(
          deps.fetch,
          {
            endpoint,
            roleArn: role.arn,
            sessionName: role.sessionName,
            durationSeconds: role.durationSeconds,
            ...(role.externalId ? { externalId: role.externalId } : {}),
            source,
            now: new Date(deps.clock?.now(origin) ?? Date.now()),
            ...(deps.signal ? { signal: deps.signal } : {}),
          },
          labels,
        ),
      deps.retry ?? DEFAULT_RETRY,
      deps.signal,
    );

  let outcome = await attempt(await sourceCredentials(false));
  if (outcome.kind === 'source-rejected') outcome = await attempt(await sourceCredentials(true));
  else if (outcome.kind === 'clock-skew') outcome = await attempt(await sourceCredentials(false));
  if (outcome.kind === 'issued') {
    return { credentials: outcome.credentials, origin, sources: chain.slice(1).map((p) => p.id) };
  }
  throw new AppError(
    'EXCHANGE_FAILED',
    outcome.kind === 'clock-skew'
      ? `${new URL(endpoint).host} refused the time of the AssumeRole request for "${profile.name}" (STS: ${outcome.code}) even after correcting for its clock. Check this computer's date and time.`
      : `${new URL(endpoint).host} did not accept the fresh credentials of "${source.name}" to assume ${role.arn} (STS: ${outcome.code}). ` +
          `Sign in again: alicloud-signin login ${root.name}`,
  );
}
