import * as oidc from 'openid-client';
import type { ErrorCode } from '../core/errors.js';
import type { FetchLike } from '../net/http.js';
import type { Profile } from '../profiles/schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { ProfilePatch, ProfileStore } from '../store/profile-store.js';
import type { TokenService } from '../tokens/token-service.js';
import { oidcConfiguration } from './oidc-config.js';
import { fromOidcError } from './oidc-errors.js';

/** What became of the refresh token at the site. */
export type Revocation =
  | { outcome: 'revoked' }
  | { outcome: 'not-signed-in' }
  | { outcome: 'unsupported' }
  | { outcome: 'failed'; code: ErrorCode; message: string };

export interface SignOutDeps {
  store: ProfileStore;
  secrets: SecretStore;
  tokens: TokenService;
  fetch: FetchLike;
}

/** What a profile keeps of a sign-in once it is signed out: nothing. */
export const SIGNED_OUT = {
  status: 'signed-out',
  identity: undefined,
  signedInAt: undefined,
  refreshedAt: undefined,
  accessTokenExpiresAt: undefined,
  refreshTokenExpiresAt: undefined,
} as const satisfies ProfilePatch;

/**
 * Revokes the refresh token at the site (best effort, and the outcome is reported), then deletes
 * the keychain entry and clears the identity. A failed revocation never keeps a person signed in.
 */
export async function signOut(
  deps: SignOutDeps,
  profileRef: string | undefined,
): Promise<{ profile: Profile; revocation: Revocation }> {
  const profile = await deps.store.resolve(profileRef);
  const token = await deps.secrets.get(profile.id);
  let revocation: Revocation = { outcome: 'not-signed-in' };
  if (token) {
    const config = oidcConfiguration(profile, deps.fetch);
    revocation = config.serverMetadata().revocation_endpoint ? await revoke(config, token) : { outcome: 'unsupported' };
    await deps.secrets.delete(profile.id);
  }
  deps.tokens.forget(profile.id);
  const updated = await deps.store.patch(profile.id, SIGNED_OUT);
  return { profile: updated, revocation };
}

async function revoke(config: oidc.Configuration, token: string): Promise<Revocation> {
  try {
    await oidc.tokenRevocation(config, token);
    return { outcome: 'revoked' };
  } catch (error) {
    const coded = fromOidcError(error, 'revoke');
    return { outcome: 'failed', code: coded.code, message: coded.message };
  }
}

/** For tokens the app cannot keep: revoke and ignore the outcome. */
export async function revokeQuietly(config: oidc.Configuration, token: string): Promise<void> {
  if (config.serverMetadata().revocation_endpoint) await revoke(config, token);
}
