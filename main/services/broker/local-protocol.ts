/*
 * The local channel between `alicloud-signin` commands and a running broker: JSON lines over a
 * Unix socket (a named pipe on Windows). The per-start token in the 0600 endpoint file never goes
 * on the wire: the broker proves it knows it first, then the client (see handshake.ts), and the
 * client renders credentials itself from fields checked here. Only Node built-ins and the plain
 * patterns of shared/fields.ts in this file: the client side runs on the CLI's fast path, where
 * loading zod would cost more than the request (about 60-100 ms here against a 70 ms answer), so
 * the checks are written out and strict.
 */
import { isErrorCode, type ErrorCode } from '../../../shared/errors.js';
import { PROFILE_ID, PROFILE_NAME } from '../../../shared/fields.js';

/** 2: challenge-response and no rendered text; a version-1 endpoint file is ignored. */
export const PROTOCOL_VERSION = 2;
/** A request or an answer larger than this is refused. */
export const MAX_LINE_BYTES = 64 * 1024;

/** What a running broker publishes in `endpoint.json` (mode 0600). */
export interface BrokerEndpoint {
  v: number;
  pid: number;
  socket: string;
  token: string;
  port: number;
  startedAt: string;
}

export type CredentialsFormat = 'external' | 'json' | 'env';

/** Client -> broker, first line: a fresh nonce for the broker to prove the token with. */
export interface ClientHello {
  v: number;
  op: 'hello';
  nonce: string;
}

/** Broker -> client, first line: its proof over the client's nonce, and its own nonce. */
export interface BrokerChallenge {
  v: number;
  op: 'challenge';
  nonce: string;
  proof: string;
}

/** Client -> broker, second line: the request with the client's proof over the broker's nonce. */
export type LocalRequest =
  | { v: number; proof: string; op: 'credentials'; profile?: string; format?: CredentialsFormat }
  | { v: number; proof: string; op: 'rotate'; profile: string }
  | { v: number; proof: string; op: 'reload'; profile?: string }
  | { v: number; proof: string; op: 'status' };

/** Credentials as they travel on the channel (the expiration as ISO text). */
export interface WireCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: string;
}

export type LocalAnswer =
  | { ok: true; op: 'credentials'; profile: { id: string; name: string }; credentials: WireCredentials }
  | { ok: true; op: 'rotate'; profile: { id: string; name: string }; secret: string }
  | { ok: true; op: 'reload' }
  | { ok: true; op: 'status'; pid: number; port: number; startedAt: string }
  /** `fallback`: the broker will not serve this (profile switched off); the client does the work itself. */
  | { ok: false; code: ErrorCode; message: string; fallback?: boolean };

const HEX64 = /^[0-9a-f]{64}$/;
/** STS values are base64-ish: a key id like `STS.NUgY...`, a base64 secret and token. Nothing a shell or a terminal reads specially. */
const KEY_TEXT = /^[A-Za-z0-9._+/=-]{1,256}$/;
const TOKEN_TEXT = /^[A-Za-z0-9._+/=-]{1,16384}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
const URI_SECRET = /^[A-Za-z0-9_-]{43}$/;
/** A name the client asks for: a profile name or id (the broker looks it up); never a control character. */
const PROFILE_REF = /^\P{Cc}{1,128}$/u;
const FORMATS: readonly string[] = ['external', 'json', 'env'];

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matches(pattern: RegExp, value: unknown): value is string {
  return typeof value === 'string' && pattern.test(value);
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 65535;
}

function isPid(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

export function parseEndpoint(text: string): BrokerEndpoint | undefined {
  const e = parseJson(text);
  if (
    !e ||
    e.v !== PROTOCOL_VERSION ||
    !isPid(e.pid) ||
    typeof e.socket !== 'string' ||
    e.socket.length === 0 ||
    !matches(HEX64, e.token) ||
    !isPort(e.port) ||
    typeof e.startedAt !== 'string'
  )
    return undefined;
  return { v: e.v, pid: e.pid, socket: e.socket, token: e.token, port: e.port, startedAt: e.startedAt };
}

export function parseHello(line: string): ClientHello | undefined {
  const m = parseJson(line);
  return m && m.v === PROTOCOL_VERSION && m.op === 'hello' && matches(HEX64, m.nonce)
    ? { v: PROTOCOL_VERSION, op: 'hello', nonce: m.nonce }
    : undefined;
}

export function parseChallenge(line: string): BrokerChallenge | undefined {
  const m = parseJson(line);
  return m && m.v === PROTOCOL_VERSION && m.op === 'challenge' && matches(HEX64, m.nonce) && matches(HEX64, m.proof)
    ? { v: PROTOCOL_VERSION, op: 'challenge', nonce: m.nonce, proof: m.proof }
    : undefined;
}

/** Checks a request's shape (not its proof); undefined when it is not one. */
export function parseLocalRequest(line: string): LocalRequest | undefined {
  const value = parseJson(line);
  if (!value || value.v !== PROTOCOL_VERSION || !matches(HEX64, value.proof)) return undefined;
  const { v, proof, op, profile, format } = value as { v: number; proof: string } & Record<string, unknown>;
  const name = matches(PROFILE_REF, profile) ? profile : undefined;
  if (profile !== undefined && name === undefined) return undefined;
  switch (op) {
    case 'credentials':
      if (format !== undefined && (typeof format !== 'string' || !FORMATS.includes(format))) return undefined;
      return {
        v,
        proof,
        op,
        ...(name ? { profile: name } : {}),
        ...(format ? { format: format as CredentialsFormat } : {}),
      };
    case 'rotate':
      return name ? { v, proof, op, profile: name } : undefined;
    case 'reload':
      return { v, proof, op, ...(name ? { profile: name } : {}) };
    case 'status':
      return { v, proof, op };
    default:
      return undefined;
  }
}

/** Credentials that may be printed into a shell or a JSON file: every field in its expected charset. */
export function parseWireCredentials(c: unknown): WireCredentials | undefined {
  if (!isRecord(c)) return undefined;
  const { accessKeyId, accessKeySecret, securityToken, expiration } = c;
  if (
    !matches(KEY_TEXT, accessKeyId) ||
    !matches(KEY_TEXT, accessKeySecret) ||
    !matches(TOKEN_TEXT, securityToken) ||
    !matches(ISO_TIME, expiration) ||
    Number.isNaN(Date.parse(expiration))
  )
    return undefined;
  return { accessKeyId, accessKeySecret, securityToken, expiration };
}

function parseProfile(value: unknown): { id: string; name: string } | undefined {
  return isRecord(value) && matches(PROFILE_ID, value.id) && matches(PROFILE_NAME, value.name)
    ? { id: value.id, name: value.name }
    : undefined;
}

/**
 * Checks an answer's shape and every field's charset; undefined when it is not one. Unknown
 * fields (such as the rendered `text` a version-1 broker sent) are dropped, never passed on.
 */
export function parseAnswer(line: string): LocalAnswer | undefined {
  const value = parseJson(line);
  if (!value) return undefined;
  if (value.ok === false) {
    // Shown to the person on one line: no control characters (a terminal would act on them). A
    // code this version does not know (a newer broker's) is the broker's failure, in its words.
    if (!matches(/^[A-Z][A-Z_]{1,40}$/, value.code) || !matches(/^\P{Cc}{1,1000}$/u, value.message)) return undefined;
    const code = isErrorCode(value.code) ? value.code : 'BROKER_UNAVAILABLE';
    return { ok: false, code, message: value.message, ...(value.fallback === true ? { fallback: true } : {}) };
  }
  if (value.ok !== true) return undefined;
  const profile = parseProfile(value.profile);
  switch (value.op) {
    case 'credentials': {
      const credentials = parseWireCredentials(value.credentials);
      return profile && credentials ? { ok: true, op: 'credentials', profile, credentials } : undefined;
    }
    case 'rotate':
      return profile && matches(URI_SECRET, value.secret)
        ? { ok: true, op: 'rotate', profile, secret: value.secret }
        : undefined;
    case 'reload':
      return { ok: true, op: 'reload' };
    case 'status':
      return isPid(value.pid) && isPort(value.port) && matches(ISO_TIME, value.startedAt)
        ? { ok: true, op: 'status', pid: value.pid, port: value.port, startedAt: value.startedAt }
        : undefined;
    default:
      return undefined;
  }
}
