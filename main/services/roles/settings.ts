import { userInfo } from 'node:os';
import { AppError } from '../core/errors.js';
import { ROLE_ARN } from '../../../shared/fields.js';
import type { Profile, SiteId } from '../profiles/schema.js';

/** AssumeRole's bounds: at least 15 minutes, at most 12 hours (the role's own maximum may be lower). */
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43_200;
const DEFAULT_DURATION_SECONDS = 3600;
/** A role assumed with another role's credentials (role chaining) lives at most one hour. */
export const CHAINED_MAX_SECONDS = 3600;

/**
 * Each site's STS endpoint. cn: `sts.aliyuncs.com`, the endpoint Alibaba's STS overview names and
 * every official SDK defaults to. intl: the Singapore regional endpoint from the International
 * site's STS endpoint list (STS credentials are not tied to the region that issued them).
 */
export const SITE_STS_ENDPOINTS: Readonly<Record<Exclude<SiteId, 'custom'>, string>> = {
  cn: 'https://sts.aliyuncs.com',
  intl: 'https://sts.ap-southeast-1.aliyuncs.com',
};

export interface RoleArn {
  arn: string;
  accountId: string;
  roleName: string;
}

/** Splits `acs:ram::ACCOUNT:role/ROLE`; anything else is INVALID_INPUT in words. */
export function parseRoleArn(text: string): RoleArn {
  const arn = text.trim();
  const match = ROLE_ARN.exec(arn);
  if (!match?.[1] || !match[2]) {
    throw new AppError(
      'INVALID_INPUT',
      '--assume-role takes a role ARN like acs:ram::1234567890123456:role/ReadOnly (the account id, then the role name).',
    );
  }
  return { arn, accountId: match[1], roleName: match[2] };
}

/** The account and role of a stored role profile (its ARN was checked when it was stored). */
export function roleOf(profile: Pick<Profile, 'role'>): RoleArn | undefined {
  const match = profile.role ? ROLE_ARN.exec(profile.role.arn) : null;
  return match?.[1] && match[2] ? { arn: match[0], accountId: match[1], roleName: match[2] } : undefined;
}

/**
 * `alicloud-signin-<user>`, reduced to what RoleSessionName allows (letters, digits, `_.@-`, 2 to
 * 64 characters): the session name shows in the role account's audit trail, so it says who.
 */
export function defaultSessionName(user = currentUser()): string {
  const cleaned = user.replace(/[^\w.@-]+/g, '-').replace(/^-+|-+$/g, '');
  return (cleaned ? `alicloud-signin-${cleaned}` : 'alicloud-signin').slice(0, 64);
}

export function checkSessionName(name: string): string {
  if (!/^[\w.@-]{2,64}$/.test(name)) {
    throw new AppError(
      'INVALID_INPUT',
      '--session-name takes 2 to 64 letters, digits and the characters _ . @ - (it names the session in the role account’s logs).',
    );
  }
  return name;
}

export function checkExternalId(id: string): string {
  if (!/^[\w+=,.@:/-]{2,1224}$/.test(id)) {
    throw new AppError(
      'INVALID_INPUT',
      '--external-id takes 2 to 1224 letters, digits and the characters _ + = , . @ : / - (as the role’s owner gave it to you).',
    );
  }
  return id;
}

/** The session length asked for: whole seconds from 900 to 43200, at most 3600 when the source is a role. */
export function checkDuration(text: string | undefined, chained: boolean, sourceName: string): number {
  if (text === undefined) return DEFAULT_DURATION_SECONDS;
  const seconds = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(seconds >= MIN_DURATION_SECONDS && seconds <= MAX_DURATION_SECONDS)) {
    throw new AppError('INVALID_INPUT', '--duration takes whole seconds from 900 (15 minutes) to 43200 (12 hours).');
  }
  if (chained && seconds > CHAINED_MAX_SECONDS) throw chainedTooLong(seconds, sourceName);
  return seconds;
}

export function chainedTooLong(seconds: number, sourceName: string): AppError {
  return new AppError(
    'ROLE_DURATION_TOO_LONG',
    `A session of ${seconds} s is too long: "${sourceName}" is itself a role, and a role assumed with a role's ` +
      `credentials (role chaining) lasts at most ${CHAINED_MAX_SECONDS} s. Use --duration ${CHAINED_MAX_SECONDS} or less.`,
  );
}

/** Whether credentials from this profile are a role's, so a role assumed with them is chained. */
export function isRoleIdentity(profile: Pick<Profile, 'role' | 'identity'>): boolean {
  return profile.role !== undefined || profile.identity?.type === 'role';
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? '';
  }
}
