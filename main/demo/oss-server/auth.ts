import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  buildCanonicalRequest,
  buildStringToSign,
  canonicalUri,
  computeSignature,
  normalizeAdditionalHeaders,
  parseAuthorizationV4,
  parseOssDate,
  scopeOf,
} from '../../services/oss/sign-v4.js';
import type { IssuedSts, StsRegistry } from '../sts-registry.js';

/** An OSS error answer. `ec` values come from Alibaba's published EC pages where one exists. */
export interface OssErrorSpec {
  status: number;
  code: string;
  message: string;
  ec: string;
  /** Extra elements after EC, in order (e.g. StringToSign). */
  extra?: ReadonlyArray<readonly [string, string]>;
}

export interface ReceivedRequest {
  method: string;
  /** Decoded path, `/` for ListBuckets. */
  path: string;
  query: ReadonlyArray<readonly [string, string]>;
  headers: IncomingHttpHeaders;
}

export interface AuthPolicy {
  sts: StsRegistry;
  now: number;
  clockSkewLimitMs: number;
  /** When set, the credential scope must name this region. */
  region?: string;
}

export type AuthResult = { ok: true; sts: IssuedSts } | { ok: false; error: OssErrorSpec };

/**
 * Checks a request the way OSS does for STS credentials: V4 only, clock, access key, security
 * token, expiry, then the signature recomputed from what was received.
 */
export function authenticate(req: ReceivedRequest, policy: AuthPolicy): AuthResult {
  const headers = flatHeaders(req.headers);
  const authorization = headers['authorization'];
  if (req.query.some(([k]) => k === 'OSSAccessKeyId' || k === 'Signature')) return fail(v1Refused());
  if (req.query.some(([k]) => k.toLowerCase().startsWith('x-oss-signature'))) {
    return fail(
      err(
        403,
        'AccessDenied',
        'Signed URLs are not supported by this server; sign the Authorization header with V4.',
        '0002-00000034',
      ),
    );
  }
  if (authorization === undefined) {
    return fail(err(403, 'AccessDenied', 'Anonymous access is forbidden for this operation.', '0003-00000001'));
  }
  if (/^OSS2? /.test(authorization)) return fail(v1Refused());
  const auth = parseAuthorizationV4(authorization);
  if (!auth) return fail(err(400, 'InvalidArgument', 'Authorization header is invalid.', '0002-00000213'));

  const timestamp = headers['x-oss-date'];
  const date = timestamp === undefined ? undefined : parseOssDate(timestamp);
  if (timestamp === undefined || !date) {
    return fail(
      err(403, 'AccessDenied', 'x-oss-date must be present and look like 20231216T162057Z.', '0002-00000505'),
    );
  }
  if (timestamp.slice(0, 8) !== auth.day) {
    return fail(
      err(400, 'InvalidArgument', 'The date in the Credential scope does not match x-oss-date.', '0002-00000213'),
    );
  }
  if (policy.region !== undefined && auth.region !== policy.region) {
    return fail(
      err(
        400,
        'InvalidArgument',
        `Invalid signing region in Authorization header; expected ${policy.region}.`,
        '0002-00000213',
      ),
    );
  }
  if (Math.abs(policy.now - date.getTime()) > policy.clockSkewLimitMs) {
    return fail(
      err(
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
        '0002-00000504',
        [
          ['RequestTime', date.toISOString()],
          ['ServerTime', new Date(policy.now).toISOString()],
          ['MaxAllowedSkewMilliseconds', String(policy.clockSkewLimitMs)],
        ],
      ),
    );
  }

  const sts = policy.sts.lookup(auth.accessKeyId);
  const token = headers['x-oss-security-token'];
  // An STS key without its token is looked up as a long-term key, which does not exist.
  if (!sts || token === undefined) {
    return fail(
      err(
        403,
        'InvalidAccessKeyId',
        'The OSS Access Key Id you provided does not exist in our records.',
        '0002-00000002',
        [['OSSAccessKeyId', auth.accessKeyId]],
      ),
    );
  }
  if (!safeEqual(token, sts.securityToken)) {
    return fail(err(403, 'InvalidSecurityToken', 'The security token you provided is invalid.', '0002-00000006'));
  }
  if (policy.now >= sts.expiration.getTime()) {
    return fail(err(403, 'SecurityTokenExpired', 'The security token you provided has expired.', '0002-00000007'));
  }

  const additional = normalizeAdditionalHeaders(auth.additionalHeaders, headers);
  const canonicalRequest = buildCanonicalRequest({
    method: req.method,
    uri: canonicalUri(undefined, req.path.slice(1)),
    query: req.query,
    headers,
    additionalHeaders: additional,
  });
  const stringToSign = buildStringToSign(timestamp, scopeOf(auth.day, auth.region, auth.product), canonicalRequest);
  const expected = computeSignature(sts.accessKeySecret, auth.day, auth.region, auth.product, stringToSign);
  // Both are 64 lowercase hex digits (parseAuthorizationV4 checked the received one).
  if (additional.length !== auth.additionalHeaders.length || !safeEqual(expected, auth.signature)) {
    return fail(
      err(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        '0002-00000201',
        [
          ['OSSAccessKeyId', auth.accessKeyId],
          ['SignatureProvided', auth.signature],
          ['StringToSign', stringToSign],
          ['StringToSignBytes', Buffer.from(stringToSign, 'utf8').toString('hex').replace(/(..)/g, '$1 ').trim()],
          ['CanonicalRequest', canonicalRequest],
        ],
      ),
    );
  }
  return { ok: true, sts };
}

function v1Refused(): OssErrorSpec {
  return err(
    403,
    'AccessDenied',
    'The V1 signature is no longer accepted for this account. Sign requests with Signature V4 (OSS4-HMAC-SHA256).',
    '0002-00000080',
  );
}

export function err(
  status: number,
  code: string,
  message: string,
  ec: string,
  extra?: OssErrorSpec['extra'],
): OssErrorSpec {
  return { status, code, message, ec, ...(extra ? { extra } : {}) };
}

function fail(error: OssErrorSpec): AuthResult {
  return { ok: false, error };
}

/** Node joins repeated headers with ', ' already; only set-cookie stays an array. */
function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
