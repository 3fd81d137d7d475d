import { DEMO_ACCOUNT_ID } from '../provider/users.js';
import type { DemoUser } from '../provider/types.js';
import type { IssuedSts } from '../sts-registry.js';
import type { SeedBucket } from '../oss-server/seed.js';

/** The demo's second Alibaba Cloud account: it owns a role that trusts a role of the first. */
export const DEMO_SECOND_ACCOUNT_ID = '5678901234567890';

/** A RAM role of a demo account, with its trust policy reduced to what AssumeRole checks. */
export interface DemoRole {
  accountId: string;
  /** As in its ARN (compared ignoring case, as RAM does). */
  name: string;
  roleId: string;
  /** 3600..43200 s, as RAM allows. */
  maxSessionDuration: number;
  /**
   * Principals the role trusts: `acs:ram::ACCOUNT:root` (every RAM user and role of that account),
   * `acs:ram::ACCOUNT:user/NAME` or `acs:ram::ACCOUNT:role/NAME`.
   */
  trusts: string[];
  /** When set, AssumeRole must send exactly this ExternalId. */
  externalId?: string;
}

export function roleArn(role: Pick<DemoRole, 'accountId' | 'name'>): string {
  return `acs:ram::${role.accountId}:role/${role.name}`;
}

/**
 * user (account 1) → demo-reader (account 1) → cross-account-admin (account 2); partner-auditor
 * (account 2) wants an external ID; demo-reader allows 2 h sessions, so 3 h is refused.
 */
export function defaultRoles(): DemoRole[] {
  return [
    {
      accountId: DEMO_ACCOUNT_ID,
      name: 'demo-reader',
      roleId: '300000000000000101',
      maxSessionDuration: 7200,
      trusts: [`acs:ram::${DEMO_ACCOUNT_ID}:root`],
    },
    {
      accountId: DEMO_SECOND_ACCOUNT_ID,
      name: 'cross-account-admin',
      roleId: '300000000000000202',
      maxSessionDuration: 43_200,
      trusts: [`acs:ram::${DEMO_ACCOUNT_ID}:role/demo-reader`],
    },
    {
      accountId: DEMO_SECOND_ACCOUNT_ID,
      name: 'partner-auditor',
      roleId: '300000000000000203',
      maxSessionDuration: 3600,
      trusts: [`acs:ram::${DEMO_ACCOUNT_ID}:root`],
      externalId: 'demo-partner-7',
    },
  ];
}

/** The second account's own buckets (the first account's are the OSS server's seeded ones). */
export function secondAccountBuckets(): SeedBucket[] {
  return [
    { name: 'acme-billing-exports', region: 'cn-shanghai', creationDate: '2024-02-01T08:00:00.000Z' },
    { name: 'acme-prod-logs', region: 'cn-hangzhou', creationDate: '2023-11-12T02:30:00.000Z' },
    {
      name: 'acme-shared-assets',
      region: 'ap-southeast-1',
      creationDate: '2025-01-20T10:15:00.000Z',
      storageClass: 'IA',
    },
  ];
}

/** Who is calling, as a trust policy sees it. */
export interface Caller {
  accountId: string;
  /** `acs:ram::ACCOUNT:user/NAME`, `acs:ram::ACCOUNT:role/NAME` or `acs:ram::ACCOUNT:root`. */
  arn: string;
  kind: 'account' | 'user' | 'role';
}

/**
 * The principal behind a set of demo STS credentials: a role session from AssumeRole, else the
 * person the site's `/v1/exchange` issued them to (a RAM user, the account, or a role sign-in).
 */
export function callerOf(sts: IssuedSts, users: readonly DemoUser[]): Caller {
  if (sts.session) {
    return { accountId: sts.accountId, arn: `acs:ram::${sts.accountId}:role/${sts.session.roleName}`, kind: 'role' };
  }
  const user = users.find((u) => u.sub === sts.subject);
  if (user?.type === 'account')
    return { accountId: sts.accountId, arn: `acs:ram::${sts.accountId}:root`, kind: 'account' };
  if (user?.type === 'role') {
    const roleName = (user.name ?? 'role').split(':')[0];
    return { accountId: sts.accountId, arn: `acs:ram::${sts.accountId}:role/${roleName}`, kind: 'role' };
  }
  const userName = user?.upn?.split('@')[0] ?? user?.login ?? sts.subject;
  return { accountId: sts.accountId, arn: `acs:ram::${sts.accountId}:user/${userName}`, kind: 'user' };
}

/** Whether the role's trust policy names the caller or the caller's account. */
export function trusts(role: DemoRole, caller: Caller): boolean {
  const arn = caller.arn.toLowerCase();
  return role.trusts.some((principal) => {
    const p = principal.toLowerCase();
    return p === arn || p === `acs:ram::${caller.accountId}:root`;
  });
}
