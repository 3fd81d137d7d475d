import { timingSafeEqual } from 'node:crypto';
import { rpcSignature, rpcStringToSign } from '../../services/roles/rpc-signature.js';
import type { IssuedSts, StsRegistry } from '../sts-registry.js';

/** An STS error answer: Alibaba's `{RequestId, HostId, Code, Message, Recommend}` with a status. */
export interface RpcError {
  status: number;
  code: string;
  message: string;
}

export type RpcCheck = { ok: true; caller: IssuedSts; params: Record<string, string> } | { ok: false; error: RpcError };

export interface RpcPolicy {
  sts: StsRegistry;
  now: number;
  /** Nonces seen within the timestamp window (SignatureNonceUsed). */
  nonces: NonceLedger;
}

/** The timestamp window of Alibaba's RPC gateway. */
const TIMESTAMP_WINDOW_MS = 15 * 60_000;

/**
 * Checks a request as Alibaba's RPC gateway does for STS credentials: signature method and
 * version, Timestamp within 15 minutes, the AccessKeyId known, the signature recomputed from every
 * parameter received (query and form body alike), a fresh nonce, then the SecurityToken.
 */
export function verifyRpc(method: string, params: Record<string, string>, policy: RpcPolicy): RpcCheck {
  for (const name of [
    'AccessKeyId',
    'Signature',
    'SignatureNonce',
    'Timestamp',
    'SignatureMethod',
    'SignatureVersion',
  ]) {
    if (!params[name]) return fail(400, `Missing${name}`, `${name} is mandatory for this action.`);
  }
  if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') {
    return fail(400, 'InvalidSignatureMethod', 'Specified signature method or version is not supported.');
  }
  const timestamp = params.Timestamp ?? '';
  const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at))
    return fail(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  if (Math.abs(policy.now - at) > TIMESTAMP_WINDOW_MS) {
    return fail(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  const caller = policy.sts.lookup(params.AccessKeyId ?? '');
  if (!caller) return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');

  const { Signature: received = '', ...signed } = params;
  const stringToSign = rpcStringToSign(method, signed);
  if (!safeEqual(rpcSignature(caller.accessKeySecret, stringToSign), received)) {
    // Alibaba quotes its string to sign; it holds the caller's own key id and token, nothing else.
    return fail(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    );
  }
  if (!policy.nonces.use(params.SignatureNonce ?? '', policy.now)) {
    return fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  }
  const token = params.SecurityToken;
  if (token === undefined) return fail(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
  if (!safeEqual(token, caller.securityToken)) {
    return fail(
      400,
      'InvalidSecurityToken.MismatchWithAccessKey',
      'Specified SecurityToken mismatch with the AccessKey.',
    );
  }
  if (policy.now >= caller.expiration.getTime()) {
    return fail(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
  }
  return { ok: true, caller, params: signed };
}

/** Nonces remembered for the timestamp window, so a replayed request is refused. */
export class NonceLedger {
  readonly #seen = new Map<string, number>();

  use(nonce: string, now: number): boolean {
    for (const [seen, at] of this.#seen) if (now - at > 2 * TIMESTAMP_WINDOW_MS) this.#seen.delete(seen);
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, now);
    return true;
  }
}

/** Every parameter of a request: the query string, then an urlencoded form body (later wins). */
export function requestParams(url: string, contentType: string | undefined, body: string): Record<string, string> {
  const params: Record<string, string> = {};
  const query = new URL(url, 'https://sts.invalid').searchParams;
  for (const [key, value] of query) params[key] = value;
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body)) params[key] = value;
  }
  return params;
}

export function fail(status: number, code: string, message: string): { ok: false; error: RpcError } {
  return { ok: false, error: { status, code, message } };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
