import { sign, type KeyObject } from 'node:crypto';

/**
 * Re-signs a compact RS256 JWS with the same header and key after changing its payload: used by
 * the `wrongIssuer` fault, whose ID tokens must be validly signed yet name another issuer.
 */
export function resignJwt(jwt: string, key: KeyObject, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload] = jwt.split('.');
  if (header === undefined || payload === undefined) throw new Error('not a compact JWS');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(claims);
  const input = `${header}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input, 'ascii'), key).toString('base64url')}`;
}
