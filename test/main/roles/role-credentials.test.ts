import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoProvider, type DemoProvider } from '../../../main/demo/provider/index.js';
import { DEMO_ACCOUNT_ID } from '../../../main/demo/provider/users.js';
import { DEMO_SECOND_ACCOUNT_ID, startStsServer, type StsServer } from '../../../main/demo/sts-server/index.js';
import { createDemoTls, type DemoTls } from '../../../main/demo/tls.js';
import { ServerClock } from '../../../main/services/clock/server-clock.js';
import { AppError } from '../../../main/services/core/errors.js';
import { createFetch } from '../../../main/services/net/http.js';
import { ProfilesFile, type Profile, type RoleSettings } from '../../../main/services/profiles/schema.js';
import { StsService } from '../../../main/services/sts/sts-service.js';
import { DemoSession, demoProfile } from '../../helpers/demo-session.js';
import { failsWith } from '../../helpers/failures.js';

// StsService turning role profiles into AssumeRole credentials: the demo site's real sign-in and
// /v1/exchange for the source, the demo STS server for the roles.

const ROLE_A = `acs:ram::${DEMO_ACCOUNT_ID}:role/demo-reader`;
const ROLE_B = `acs:ram::${DEMO_SECOND_ACCOUNT_ID}:role/cross-account-admin`;

let tls: DemoTls;
let site: DemoProvider;
let stsServer: StsServer;

beforeAll(async () => {
  tls = await createDemoTls();
  site = await startDemoProvider({ tls });
  stsServer = await startStsServer({ sts: site.sts, tls, users: site.users });
});
afterAll(async () => {
  await Promise.all([site?.close(), stsServer?.close()]);
});

function roleProfile(
  id: string,
  source: Profile | string,
  role: Partial<RoleSettings> & { arn: string },
  stsUrl = stsServer.url,
): Profile {
  const base = typeof source === 'string' ? demoProfile(site) : source;
  return {
    ...base,
    id,
    name: id,
    identity: undefined,
    role: {
      sourceProfileId: typeof source === 'string' ? source : source.id,
      sessionName: 'alicloud-signin-test',
      durationSeconds: 3600,
      stsEndpoint: stsUrl,
      ...role,
    },
  };
}

/** A signed-in user, role A from it, role B from role A; all looked up through a ProfilesFile parse. */
async function setup(
  extra: (user: Profile) => Profile[] = () => [],
  opts: { clock?: ServerClock; userStatus?: Profile['status'] } = {},
) {
  const user = demoProfile(site, { id: 'user-profile-1', name: 'user', status: opts.userStatus ?? 'signed-in' });
  const roleA = roleProfile('role-a-profile', user, { arn: ROLE_A });
  const roleB = roleProfile('role-b-profile', roleA, { arn: ROLE_B });
  const file = ProfilesFile.parse({
    version: 1,
    activeProfileId: null,
    profiles: [user, roleA, roleB, ...extra(user)],
  });
  const fetch = createFetch({ ca: tls.ca, timeoutMs: 10_000, ...(opts.clock ? { observe: opts.clock.observe } : {}) });
  const session = await new DemoSession(user, tls.ca, fetch).signIn('alice');
  const service = new StsService({
    tokens: session.tokens,
    profiles: {
      resolve: async (id) => {
        const found = file.profiles.find((p) => p.id === id);
        if (!found) throw new AppError('PROFILE_NOT_FOUND', `There is no profile with id ${id}.`);
        return found;
      },
    },
    fetch,
    retry: { attempts: 2, baseDelayMs: 5 },
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return { user, roleA, roleB, file, service, session };
}

describe('StsService with role profiles', () => {
  it('assumes role B in account 2 through role A, each credential cached and shared', async () => {
    const { user, roleA, roleB, service } = await setup();
    const exchanges = site.stats.exchanges;
    const assumed = stsServer.stats.assumed;
    const b = await service.credentials(roleB.id);
    expect(site.sts.lookup(b.accessKeyId)?.accountId).toBe(DEMO_SECOND_ACCOUNT_ID);
    expect(site.sts.lookup(b.accessKeyId)?.session?.roleName).toBe('cross-account-admin');
    expect(site.stats.exchanges - exchanges).toBe(1);
    expect(stsServer.stats.assumed - assumed).toBe(2);
    // Everything held: no call at all the second time, and role A reuses what B's call fetched.
    expect(await service.credentials(roleB.id)).toBe(b);
    const a = await service.credentials(roleA.id);
    expect(site.sts.lookup(a.accessKeyId)?.accountId).toBe(DEMO_ACCOUNT_ID);
    expect(stsServer.stats.assumed - assumed).toBe(2);
    expect(service.validFor(roleB.id)).toBeGreaterThan(3500_000);
    // Signing the user out drops the credentials of every role assumed with them.
    service.forget(user.id);
    expect(service.validFor(roleA.id)).toBeUndefined();
    expect(service.validFor(roleB.id)).toBeUndefined();
  });

  it('renews source credentials STS no longer takes, once, and then assumes the role', async () => {
    const { user, roleA, service } = await setup();
    const first = await service.credentials(user.id);
    // The user's credentials end at STS (as a revoked grant's would) while still held here.
    site.sts.revokeSubject(site.sts.lookup(first.accessKeyId)!.subject);
    const exchanges = site.stats.exchanges;
    const a = await service.credentials(roleA.id);
    expect(site.sts.lookup(a.accessKeyId)?.session?.roleName).toBe('demo-reader');
    expect(site.stats.exchanges - exchanges).toBe(1);
  });

  it('signs the AssumeRole request in the STS server’s time when this clock is 20 minutes off', async () => {
    const ahead = await startStsServer({ sts: site.sts, tls, users: site.users, now: () => Date.now() + 20 * 60_000 });
    try {
      const clock = new ServerClock();
      const { service } = await setup((user) => [roleProfile('role-clock-1', user, { arn: ROLE_A }, ahead.url)], {
        clock,
      });
      const a = await service.credentials('role-clock-1');
      expect(site.sts.lookup(a.accessKeyId)?.session?.roleName).toBe('demo-reader');
      expect(ahead.stats.refused).toBe(1);
      expect(ahead.stats.assumed).toBe(1);
    } finally {
      await ahead.close();
    }
  });

  it('refuses a loop, a missing source, a signed-out source and a chained session over an hour without asking STS', async () => {
    const { service } = await setup((user) => [
      roleProfile('loop-one-1', 'loop-two-2', { arn: ROLE_A }),
      roleProfile('loop-two-2', 'loop-one-1', { arn: ROLE_A }),
      roleProfile('orphan-role', 'gone-profile', { arn: ROLE_A }),
      roleProfile('long-chain', 'role-a-profile', { arn: ROLE_B, durationSeconds: 7200 }),
      { ...user, id: 'user-out-1', name: 'user-out', status: 'signed-out' },
      roleProfile('from-out-1', 'user-out-1', { arn: ROLE_A }),
    ]);
    const calls = stsServer.stats.assumed + stsServer.stats.refused;
    const loop = await failsWith(service.credentials('loop-one-1'), 'ROLE_CYCLE');
    expect(loop.message).toContain('loop-one-1 → loop-two-2 → loop-one-1');
    await failsWith(service.credentials('orphan-role'), 'PROFILE_NOT_FOUND');
    const long = await failsWith(service.credentials('long-chain'), 'ROLE_DURATION_TOO_LONG');
    expect(long.message).toContain('role-a-profile');
    const out = await failsWith(service.credentials('from-out-1'), 'NOT_SIGNED_IN');
    expect(out.message).toContain('"user-out"');
    expect(out.message).toContain('alicloud-signin login user-out');
    expect(stsServer.stats.assumed + stsServer.stats.refused).toBe(calls);
  });

  it('passes a role STS will not assume through as ROLE_NOT_ASSUMABLE, and holds nothing for it', async () => {
    const { service } = await setup((user) => [
      roleProfile('no-such-1', user, { arn: `acs:ram::${DEMO_ACCOUNT_ID}:role/nope` }),
      roleProfile('untrusted-1', user, { arn: ROLE_B }),
    ]);
    expect((await failsWith(service.credentials('no-such-1'), 'ROLE_NOT_ASSUMABLE')).message).toContain(
      'does not exist',
    );
    expect((await failsWith(service.credentials('untrusted-1'), 'ROLE_NOT_ASSUMABLE')).message).toContain(
      'may not assume',
    );
    expect(service.validFor('untrusted-1')).toBeUndefined();
  });
});

describe('a role profile’s status', () => {
  it('follows its source down the chain; a loop or a missing source needs attention, and the file still reads', () => {
    const user = demoProfile(site, { id: 'user-status-1', status: 'signed-out' });
    const a = roleProfile('status-a-1', user, { arn: ROLE_A });
    const b = roleProfile('status-b-1', a, { arn: ROLE_B });
    const loop = roleProfile('status-loop', 'status-loop', { arn: ROLE_A });
    const orphan = roleProfile('status-orphan', 'missing-profile', { arn: ROLE_A });
    const statuses = (userStatus: Profile['status']) =>
      ProfilesFile.parse({
        version: 1,
        activeProfileId: null,
        profiles: [{ ...user, status: userStatus }, { ...a, status: 'signed-in' }, b, loop, orphan],
      }).profiles.map((p) => p.status);
    expect(statuses('signed-out')).toEqual([
      'signed-out',
      'signed-out',
      'signed-out',
      'needs-attention',
      'needs-attention',
    ]);
    expect(statuses('signed-in')).toEqual([
      'signed-in',
      'signed-in',
      'signed-in',
      'needs-attention',
      'needs-attention',
    ]);
    expect(statuses('expired').slice(0, 3)).toEqual(['expired', 'expired', 'expired']);
  });
});
