import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Mutual proof of the per-start broker token without sending it:
 *   client -> broker  hello      nonceC
 *   broker -> client  challenge  nonceB, HMAC(token, "broker" nonceC nonceB)
 *   client -> broker  request    HMAC(token, "client" nonceC nonceB), then the request
 * The broker speaks first, so a program posing as the broker learns nothing but a random nonce
 * before it fails; each proof covers both fresh nonces, so none can be replayed on another
 * connection; the two labels keep one side's proof from being reflected as the other's.
 */

/** 256 random bits, as 64 hex characters. */
export function newNonce(): string {
  return randomBytes(32).toString('hex');
}

function proof(token: string, label: 'broker' | 'client', clientNonce: string, brokerNonce: string): string {
  return createHmac('sha256', Buffer.from(token, 'hex'))
    .update(`alicloud-signin local channel v2 ${label}\n${clientNonce}\n${brokerNonce}`)
    .digest('hex');
}

/** What the broker sends to show it holds the token. */
export function brokerProof(token: string, clientNonce: string, brokerNonce: string): string {
  return proof(token, 'broker', clientNonce, brokerNonce);
}

/** What the client sends once the broker has proved itself. */
export function clientProof(token: string, clientNonce: string, brokerNonce: string): string {
  return proof(token, 'client', clientNonce, brokerNonce);
}

/** Constant-time comparison of two 64-hex-character proofs. */
export function proofsMatch(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'hex');
  const b = Buffer.from(expected, 'hex');
  return a.length === 32 && b.length === 32 && timingSafeEqual(a, b);
}
