import type { IDToken } from 'openid-client';
import type { Identity } from '../profiles/schema.js';

/** The non-secret identity a profile keeps, from ID token claims (seed 000). */
export function identityFromClaims(claims: IDToken): Identity {
  const text = (key: string): string | undefined => {
    const value = claims[key];
    return typeof value === 'string' && value.length > 0
      ? value
      : typeof value === 'number'
        ? String(value)
        : undefined;
  };
  const type = text('type');
  return {
    sub: claims.sub,
    ...(text('aid') ? { aid: text('aid') } : {}),
    ...(text('uid') ? { uid: text('uid') } : {}),
    ...(type === 'account' || type === 'user' || type === 'role' ? { type } : {}),
    ...(text('name') ? { name: text('name') } : {}),
    ...(text('upn') ? { upn: text('upn') } : {}),
    ...(text('login_name') ? { loginName: text('login_name') } : {}),
  };
}

/** How a person would name this identity in one line. */
export function describeIdentity(identity: Identity | undefined): string {
  if (!identity) return 'not signed in';
  const who = identity.upn ?? identity.loginName ?? identity.name ?? identity.sub;
  const kind =
    identity.type === 'account'
      ? 'account'
      : identity.type === 'role'
        ? 'RAM role'
        : identity.type === 'user'
          ? 'RAM user'
          : 'identity';
  return identity.aid ? `${who} (${kind}, account ${identity.aid})` : `${who} (${kind})`;
}
