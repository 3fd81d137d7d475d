import { createHmac, sign, type KeyObject } from 'node:crypto';

/**
 * Re-signs a compact JWS after changing its payload: with the site's RSA key (RS256, the header
 * kept), or with a shared secret (HS256, the header rewritten) as seed 001's example token is.
 * Used by the faults whose ID tokens must be validly signed yet differ from oidc-provider's.
 */
export function resignJwt(
  jwt: string,
  key: KeyObject | { hs256: Buffer },
  change: (payload: Record<string, unknown>) => void,
): string {
  const [header, payload] = jwt.split('.');
  if (header === undefined || payload === undefined) throw new Error('not a compact JWS');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(claims);
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  if ('hs256' in key) {
    const input = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${body}`;
    return `${input}.${createHmac('sha256', key.hs256).update(input).digest('base64url')}`;
  }
  const input = `${header}.${body}`;
  return `${input}.${sign('sha256', Buffer.from(input, 'ascii'), key).toString('base64url')}`;
}
