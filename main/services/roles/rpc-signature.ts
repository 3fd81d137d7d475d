import { createHmac } from 'node:crypto';

/**
 * Alibaba Cloud's RPC request signature, version 1.0 with HMAC-SHA1 (the one STS 2015-04-01
 * takes). The demo STS server checks requests with these same functions.
 */

/**
 * Percent-encoding as the RPC signature wants it: RFC 3986 unreserved characters stay, everything
 * else is %XX of its UTF-8 bytes in upper case (so a space is %20, never +, and `*` is %2A).
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Every parameter but Signature, sorted by name (byte order), as `k=v` pairs joined with `&`. */
export function canonicalizedQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort(byteOrder)
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key] ?? '')}`)
    .join('&');
}

/** `METHOD&%2F&percentEncode(canonicalizedQuery)`. */
export function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalizedQuery(params))}`;
}

/** Base64 HMAC-SHA1 of the string to sign, keyed with the secret followed by `&`. */
export function rpcSignature(accessKeySecret: string, stringToSign: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** The parameters with their Signature added. */
export function signRpc(
  method: string,
  params: Readonly<Record<string, string>>,
  accessKeySecret: string,
): Record<string, string> {
  return { ...params, Signature: rpcSignature(accessKeySecret, rpcStringToSign(method, params)) };
}

/** `2016-02-23T12:46:24Z`: the RPC Timestamp, UTC, whole seconds. */
export function rpcTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
