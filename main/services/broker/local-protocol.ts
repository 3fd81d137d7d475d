/*
 * The local channel between `alicloud-signin` commands and a running broker: one JSON line each
 * way over a Unix socket (a named pipe on Windows), authenticated with the per-start token from
 * the 0600 endpoint file. Only Node built-ins here: the client side runs on the CLI's fast path.
 */

export const PROTOCOL_VERSION = 1;
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

export type LocalRequest =
  | { v: number; token: string; op: 'credentials'; profile?: string; format?: CredentialsFormat }
  | { v: number; token: string; op: 'rotate'; profile: string }
  | { v: number; token: string; op: 'reload'; profile?: string }
  | { v: number; token: string; op: 'status' };

/** Credentials as they travel on the channel (the expiration as ISO text). */
export interface WireCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: string;
}

export type LocalAnswer =
  | { ok: true; op: 'credentials'; profile: { id: string; name: string }; credentials: WireCredentials; text?: string }
  | { ok: true; op: 'rotate'; profile: { id: string; name: string }; secret: string }
  | { ok: true; op: 'reload' }
  | { ok: true; op: 'status'; pid: number; port: number; startedAt: string }
  /** `fallback`: the broker will not serve this (profile switched off); the client does the work itself. */
  | { ok: false; code: string; message: string; fallback?: boolean };

export function parseEndpoint(text: string): BrokerEndpoint | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object') return undefined;
    const e = value as Record<string, unknown>;
    if (
      e.v === PROTOCOL_VERSION &&
      typeof e.pid === 'number' &&
      typeof e.socket === 'string' &&
      typeof e.token === 'string' &&
      /^[0-9a-f]{64}$/.test(e.token) &&
      typeof e.port === 'number' &&
      typeof e.startedAt === 'string'
    ) {
      return { v: e.v, pid: e.pid, socket: e.socket, token: e.token, port: e.port, startedAt: e.startedAt };
    }
  } catch {
    // not JSON: no usable endpoint
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const FORMATS: readonly string[] = ['external', 'json', 'env'];

/** Checks a request's shape (not its token); undefined when it is not one. */
export function parseRequest(line: string): LocalRequest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.v !== PROTOCOL_VERSION || typeof value.token !== 'string') return undefined;
  const { v, token, op, profile, format } = value;
  const name = typeof profile === 'string' && profile.length > 0 && profile.length <= 128 ? profile : undefined;
  if (profile !== undefined && name === undefined) return undefined;
  switch (op) {
    case 'credentials':
      if (format !== undefined && (typeof format !== 'string' || !FORMATS.includes(format))) return undefined;
      return {
        v,
        token,
        op,
        ...(name ? { profile: name } : {}),
        ...(format ? { format: format as CredentialsFormat } : {}),
      };
    case 'rotate':
      return name ? { v, token, op, profile: name } : undefined;
    case 'reload':
      return { v, token, op, ...(name ? { profile: name } : {}) };
    case 'status':
      return { v, token, op };
    default:
      return undefined;
  }
}

/** Checks an answer's shape; undefined when it is not one. */
export function parseAnswer(line: string): LocalAnswer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (value.ok === false) {
    return typeof value.code === 'string' && typeof value.message === 'string'
      ? { ok: false, code: value.code, message: value.message, ...(value.fallback === true ? { fallback: true } : {}) }
      : undefined;
  }
  if (value.ok !== true) return undefined;
  const profile =
    isRecord(value.profile) && typeof value.profile.id === 'string' && typeof value.profile.name === 'string'
      ? { id: value.profile.id, name: value.profile.name }
      : undefined;
  switch (value.op) {
    case 'credentials': {
      const c = value.credentials;
      if (!profile || !isRecord(c)) return undefined;
      const { accessKeyId, accessKeySecret, securityToken, expiration } = c;
      if (
        typeof accessKeyId !== 'string' ||
        typeof accessKeySecret !== 'string' ||
        typeof securityToken !== 'string' ||
        typeof expiration !== 'string'
      ) {
        return undefined;
      }
      return {
        ok: true,
        op: 'credentials',
        profile,
        credentials: { accessKeyId, accessKeySecret, securityToken, expiration },
        ...(typeof value.text === 'string' ? { text: value.text } : {}),
      };
    }
    case 'rotate':
      return profile && typeof value.secret === 'string'
        ? { ok: true, op: 'rotate', profile, secret: value.secret }
        : undefined;
    case 'reload':
      return { ok: true, op: 'reload' };
    case 'status':
      return typeof value.pid === 'number' && typeof value.port === 'number' && typeof value.startedAt === 'string'
        ? { ok: true, op: 'status', pid: value.pid, port: value.port, startedAt: value.startedAt }
        : undefined;
    default:
      return undefined;
  }
}
