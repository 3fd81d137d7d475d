import { createHash, createHmac } from 'node:crypto';

/**
 * OSS Signature V4 (OSS4-HMAC-SHA256), shared by the client and the demo OSS server so both
 * sides compute the same bytes. Pure: no clock, no I/O.
 */

const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const TERMINATOR = 'aliyun_v4_request';

export type QueryInput =
  Readonly<Record<string, string | null | undefined>> | ReadonlyArray<readonly [string, string | null | undefined]>;

export interface SignV4Request {
  method: string;
  bucket?: string;
  key?: string;
  /** Every query parameter the request carries; null, undefined-in-array or '' sign as a bare key. */
  query: QueryInput;
  headers: Readonly<Record<string, string>>;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** Standard region id, e.g. `cn-hangzhou` (not `oss-cn-hangzhou`). */
  region: string;
  date: Date;
  /** Extra header names to sign besides content-type, content-md5 and x-oss-*. */
  additionalHeaders?: readonly string[];
  /** `oss` unless signing for CloudBox. */
  product?: string;
}

export interface SignedV4 {
  /** The input headers (names lowercased) plus x-oss-date, x-oss-content-sha256, x-oss-security-token and Authorization. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

/** Signs a request; the returned headers are ready to send. */
export function signV4(req: SignV4Request): SignedV4 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    // A stale Authorization from an earlier attempt is replaced, never signed or sent twice.
    if (name.toLowerCase() !== 'authorization') headers[name.toLowerCase()] = value;
  }
  const timestamp = formatOssDate(req.date);
  headers['x-oss-date'] = timestamp;
  headers['x-oss-content-sha256'] ??= UNSIGNED_PAYLOAD;
  if (req.securityToken !== undefined) headers['x-oss-security-token'] = req.securityToken;

  const additional = normalizeAdditionalHeaders(req.additionalHeaders ?? [], headers);
  const canonicalRequest = buildCanonicalRequest({
    method: req.method,
    uri: canonicalUri(req.bucket, req.key),
    query: req.query,
    headers,
    additionalHeaders: additional,
  });
  const product = req.product ?? 'oss';
  const day = timestamp.slice(0, 8);
  const stringToSign = buildStringToSign(timestamp, scopeOf(day, req.region, product), canonicalRequest);
  const signature = computeSignature(req.accessKeySecret, day, req.region, product, stringToSign);
  const authorization = formatAuthorization({
    accessKeyId: req.accessKeyId,
    day,
    region: req.region,
    product,
    additionalHeaders: additional,
    signature,
  });
  headers['Authorization'] = authorization;
  return { headers, canonicalRequest, stringToSign, signature, authorization };
}

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ (UTF-8 first). */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `/bucket/key` (or `/` for service-level calls), encoded except for `/`. */
export function canonicalUri(bucket?: string, key?: string): string {
  const raw = `/${bucket ? `${bucket}/` : ''}${key ?? ''}`;
  return rfc3986(raw).replace(/%2F/g, '/');
}

/** Every parameter, encoded, sorted by encoded name then value; an empty value is the bare name. */
export function canonicalQuery(query: QueryInput): string {
  const pairs: Array<[string, string]> = [];
  const entries: Iterable<readonly [string, string | null | undefined]> = Array.isArray(query)
    ? (query as ReadonlyArray<readonly [string, string | null | undefined]>)
    : Object.entries(query as Readonly<Record<string, string | null | undefined>>).filter(([, v]) => v !== undefined);
  for (const [name, value] of entries) pairs.push([rfc3986(name), value ? rfc3986(value) : '']);
  pairs.sort((a, b) => compareBytes(a[0], b[0]) || compareBytes(a[1], b[1]));
  return pairs.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&');
}

/**
 * The header names that are signed: content-type, content-md5, every x-oss-* and the additional
 * ones, lowercased and sorted. `headers` must have lowercase names.
 */
function canonicalHeaders(headers: Readonly<Record<string, string>>, additionalHeaders: readonly string[]): string {
  const names = new Set(additionalHeaders);
  for (const name of Object.keys(headers)) {
    if (name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-')) names.add(name);
  }
  return [...names]
    .sort(compareBytes)
    .map((name) => `${name}:${(headers[name] ?? '').trim()}\n`)
    .join('');
}

/**
 * Lowercases, drops the names that are signed anyway and the ones the request does not carry,
 * dedupes and sorts: what goes after `AdditionalHeaders=`.
 */
export function normalizeAdditionalHeaders(
  names: readonly string[],
  headers: Readonly<Record<string, string>>,
): string[] {
  const kept = new Set<string>();
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    if (name === '' || name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-')) continue;
    if (headers[name] !== undefined) kept.add(name);
  }
  return [...kept].sort(compareBytes);
}

export function buildCanonicalRequest(parts: {
  method: string;
  uri: string;
  query: QueryInput;
  /** Lowercase names. */
  headers: Readonly<Record<string, string>>;
  /** Already normalized (see normalizeAdditionalHeaders). */
  additionalHeaders: readonly string[];
}): string {
  return [
    parts.method.toUpperCase(),
    parts.uri,
    canonicalQuery(parts.query),
    canonicalHeaders(parts.headers, parts.additionalHeaders),
    parts.additionalHeaders.join(';'),
    parts.headers['x-oss-content-sha256'] ?? UNSIGNED_PAYLOAD,
  ].join('\n');
}

export function scopeOf(day: string, region: string, product = 'oss'): string {
  return `${day}/${region}/${product}/${TERMINATOR}`;
}

export function buildStringToSign(timestamp: string, scope: string, canonicalRequest: string): string {
  const hashed = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return `${V4_ALGORITHM}\n${timestamp}\n${scope}\n${hashed}`;
}

function signingKey(secret: string, day: string, region: string, product = 'oss'): Buffer {
  let key = createHmac('sha256', `aliyun_v4${secret}`).update(day).digest();
  for (const part of [region, product, TERMINATOR]) key = createHmac('sha256', key).update(part).digest();
  return key;
}

/** Lowercase hex HMAC-SHA256 of the string to sign under the derived key. */
export function computeSignature(
  secret: string,
  day: string,
  region: string,
  product: string,
  stringToSign: string,
): string {
  return createHmac('sha256', signingKey(secret, day, region, product))
    .update(stringToSign, 'utf8')
    .digest('hex');
}

export interface ParsedAuthorizationV4 {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  day: string;
  region: string;
  product: string;
  additionalHeaders: string[];
  signature: string;
}

function formatAuthorization(a: ParsedAuthorizationV4): string {
  const additional = a.additionalHeaders.length > 0 ? `AdditionalHeaders=${a.additionalHeaders.join(';')},` : '';
  return `${V4_ALGORITHM} Credential=${a.accessKeyId}/${scopeOf(a.day, a.region, a.product)},${additional}Signature=${a.signature}`;
}

/** Parses `OSS4-HMAC-SHA256 Credential=...,[AdditionalHeaders=...,]Signature=...`; undefined if malformed. */
export function parseAuthorizationV4(header: string): ParsedAuthorizationV4 | undefined {
  if (!header.startsWith(`${V4_ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(V4_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const name = part.slice(0, eq).trim();
    if (fields.has(name)) return undefined;
    fields.set(name, part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential')?.split('/');
  const signature = fields.get('Signature');
  if (!credential || credential.length !== 5 || signature === undefined) return undefined;
  const [accessKeyId, day, region, product, terminator] = credential as [string, string, string, string, string];
  if (!accessKeyId || !/^\d{8}$/.test(day) || !region || !product || terminator !== TERMINATOR) return undefined;
  if (!/^[0-9a-f]{64}$/.test(signature)) return undefined;
  const additional = fields.get('AdditionalHeaders');
  const additionalHeaders = additional ? additional.split(';').map((h) => h.trim().toLowerCase()) : [];
  return { accessKeyId, day, region, product, additionalHeaders, signature };
}

/** `yyyymmddTHHMMSSZ` in UTC. */
export function formatOssDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Parses `yyyymmddTHHMMSSZ`; undefined if it is not exactly that. */
export function parseOssDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return formatOssDate(date) === value ? date : undefined;
}

function compareBytes(a: string, b: string): number {
  // The compared strings are percent-encoded ASCII or lowercase header names: code-unit order is byte order.
  return a < b ? -1 : a > b ? 1 : 0;
}
