import { createHash, timingSafeEqual } from 'node:crypto';
import type { DemoUser } from './types.js';

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_ACCOUNT_ID = '1234567890123456';

/** A RAM user, the account's root identity and a RAM role session, all in one account. */
export function defaultUsers(): DemoUser[] {
  return [
    {
      login: 'alice',
      password: DEMO_PASSWORD,
      sub: '2e0c9f41b7d35a86',
      aid: DEMO_ACCOUNT_ID,
      uid: '203456789012345678',
      type: 'user',
      name: 'Alice',
      upn: `alice@${DEMO_ACCOUNT_ID}.onaliyun.com`,
    },
    {
      login: 'root',
      password: DEMO_PASSWORD,
      sub: '7a61d2c08f4e93b5',
      aid: DEMO_ACCOUNT_ID,
      uid: DEMO_ACCOUNT_ID,
      type: 'account',
      loginName: 'owner@example.com',
    },
    {
      login: 'role',
      password: DEMO_PASSWORD,
      sub: '300123456789012345:demo-session',
      aid: DEMO_ACCOUNT_ID,
      uid: '300123456789012345',
      type: 'role',
      name: 'DemoAdminRole:demo-session',
    },
  ];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The user whose login and password match, compared in constant time. */
export function checkPassword(users: readonly DemoUser[], login: string, password: string): DemoUser | undefined {
  const user = users.find((candidate) => candidate.login === login);
  // Compare even for an unknown login so timing does not tell which logins exist.
  const expected = digest(user?.password ?? '\u0000no-such-user');
  const matches = timingSafeEqual(expected, digest(password));
  return user && matches ? user : undefined;
}

/** The ID token claims of a user, per seed 000; oidc-provider keeps only those the scopes allow. */
export function userClaims(user: DemoUser): Record<string, string> {
  const claims: Record<string, string> = { sub: user.sub, aid: user.aid, uid: user.uid, type: user.type };
  if (user.type !== 'account' && user.name !== undefined) claims.name = user.name;
  if (user.type === 'user' && user.upn !== undefined) claims.upn = user.upn;
  if (user.type === 'account' && user.loginName !== undefined) claims.login_name = user.loginName;
  return claims;
}
