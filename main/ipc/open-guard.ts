import { endpointsOf } from '../services/auth/sites.js';
import { AppError } from '../services/core/errors.js';
import type { BrowserOpener } from '../services/auth/opener.js';
import type { Profile } from '../services/profiles/schema.js';

/**
 * True only for the authorization endpoint of the profile's own site (same origin and path, over
 * https), so the system browser never opens anything else on the app's say-so.
 */
export function isAuthorizationUrl(candidate: string, profile: Pick<Profile, 'site' | 'endpoints' | 'name'>): boolean {
  let url: URL;
  let expected: URL;
  try {
    url = new URL(candidate);
    expected = new URL(endpointsOf(profile).authorization);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.origin === expected.origin &&
    url.pathname === expected.pathname &&
    url.username === '' &&
    url.password === ''
  );
}

/** An opener that refuses everything but the profile's authorization URL. */
export function guardedOpener(
  open: BrowserOpener,
  profile: Pick<Profile, 'site' | 'endpoints' | 'name'>,
): BrowserOpener {
  return async (url) => {
    if (!isAuthorizationUrl(url, profile)) {
      throw new AppError(
        'INVALID_INPUT',
        "Refused to open a page that is not the sign-in page of this profile's site.",
      );
    }
    await open(url);
  };
}
