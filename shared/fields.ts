/**
 * The rules for what a person types into a profile, once: the zod schema (main/services/profiles/
 * schema.ts) refines with them, the CLI parses its flags with them, and the window's form checks
 * its fields with them before sending. Plain functions and patterns: no zod, no Node, so the
 * renderer bundle can import this file as it is.
 */

/** A profile's name: what `--profile`-style arguments and file names can carry unquoted. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A profile's id (random, URL-safe): it appears in keychain accounts and CredentialsURI paths. */
export const PROFILE_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A region as OSS names it, after normaliseRegion. */
export const REGION = /^[a-z0-9-]{2,40}$/;

/**
 * A region as OSS names it (`cn-hangzhou`). People also type the endpoint prefix form
 * (`oss-cn-hangzhou`) or capitals; both are taken and stored in the one form, so nothing built
 * from a region can ever read `oss-oss-...`.
 */
export function normaliseRegion(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^(?:oss-)+/, '');
}

/** Whether the text names a region once normalised. */
export function isRegion(value: string): boolean {
  return REGION.test(normaliseRegion(value));
}

/** The loopback redirect's path: `/`, then URL-safe characters only. */
export const CALLBACK_PATH = /^\/[\w\-./~]*$/;

/** The loopback ports a person may choose; below 1024 needs privileges. */
const LOOPBACK_PORT = { min: 1024, max: 65535 } as const;

/** A port range for the loopback redirect (tried in order), or 0 for an ephemeral port. */
export type PortRange = 0 | { from: number; to: number };

function isLoopbackPort(value: number): boolean {
  return Number.isInteger(value) && value >= LOOPBACK_PORT.min && value <= LOOPBACK_PORT.max;
}

export function isPortRange(value: { from: number; to: number }): boolean {
  return isLoopbackPort(value.from) && isLoopbackPort(value.to) && value.from <= value.to;
}

/**
 * Ports as a person types them: `12345-12349`, `43123`, `0` or `any` (any free port). Undefined
 * for nothing (the caller's default applies); null when the text is not a valid range.
 */
export function parsePortRange(text: string): PortRange | undefined | null {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed === 'any') return 0;
  const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(trimmed);
  if (!match) return null;
  const from = Number(match[1]);
  if (from === 0 && match[2] === undefined) return 0;
  const range = { from, to: Number(match[2] ?? match[1]) };
  return isPortRange(range) ? range : null;
}

/** How a range is shown and typed back: "12345-12349", "43123", or "any" for 0. */
export function portRangeText(ports: PortRange): string {
  if (ports === 0) return 'any';
  return ports.from === ports.to ? String(ports.from) : `${ports.from}-${ports.to}`;
}

/** An absolute https:// URL (every endpoint: tokens and credentials never travel in clear text). */
export function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text.trim()).protocol === 'https:';
  } catch {
    return false;
  }
}

/** `acs:ram::ACCOUNT:role/ROLE`: the account id and the role name are groups 1 and 2. */
export const ROLE_ARN = /^acs:ram::(\d{1,32}):role\/([A-Za-z0-9._-]{1,64})$/;

/** A role session's name, as STS AssumeRole takes it. */
export const ROLE_SESSION_NAME = /^[\w.@-]{2,64}$/;

/** A role's external ID, as STS AssumeRole takes it. */
export const ROLE_EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** A profile name in the aliyun CLI's config.json: printable ASCII, not starting with a space. */
export const CLI_PROFILE_NAME = /^[\x21-\x7e][\x20-\x7e]{0,127}$/;
