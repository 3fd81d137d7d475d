import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../main/demo/provider/users.js';
import { DEMO_SECOND_ACCOUNT_ID, secondAccountBuckets } from '../../main/demo/sts-server/index.js';
import { expectFailure } from '../helpers/sts-fixture.js';
import { HAS_KEYRING } from '../helpers/signin-fixture.js';
import { ROLE_A, ROLE_B, startRolesFixture, type RolesFixture } from '../helpers/roles-fixture.js';

// Role profiles end to end through the built CLI: a real sign-in on the demo site, the demo STS
// server's AssumeRole, the demo OSS server, the real keychain.

let fx: RolesFixture;

beforeAll(async () => {
  fx = await startRolesFixture();
}, 60_000);
afterAll(async () => {
  await fx?.close();
});

interface ListedProfile {
  name: string;
  status: string;
  role: { arn: string; accountId: string; roleName: string; source: string | null; durationSeconds: number } | null;
}

async function listed(): Promise<ListedProfile[]> {
  return (JSON.parse((await fx.ok(['profile', 'list', '--json'])).stdout) as { profiles: ListedProfile[] }).profiles;
}

describe.skipIf(!HAS_KEYRING)('role profiles through the CLI', () => {
  it('chains user → role A (account 1) → role B (account 2): buckets and credentials of account 2', async () => {
    const a = await fx.ok([
      'profile',
      'add',
      'roleA',
      '--assume-role',
      ROLE_A,
      '--from',
      'user',
      '--sts-endpoint',
      fx.stsServer.url,
    ]);
    expect(a.stdout).toContain('Added role profile "roleA"');
    expect(a.stderr).toContain('Checked');
    // A custom site's role takes its STS endpoint from the role it is assumed with.
    const b = await fx.ok([
      'profile',
      'add',
      'roleB',
      '--assume-role',
      ROLE_B,
      '--from',
      'roleA',
      '--session-name',
      'alice@ops',
    ]);
    expect(b.stderr).toContain('Checked');

    const buckets = JSON.parse((await fx.ok(['buckets', 'roleB', '--json'])).stdout) as {
      owner: { id: string };
      buckets: { name: string }[];
    };
    expect(buckets.owner.id).toBe(DEMO_SECOND_ACCOUNT_ID);
    expect(buckets.buckets.map((x) => x.name)).toEqual(
      secondAccountBuckets()
        .map((x) => x.name)
        .sort(),
    );
    const own = JSON.parse((await fx.ok(['buckets', 'user', '--json'])).stdout) as {
      owner: { id: string };
      count: number;
    };
    expect(own).toMatchObject({ owner: { id: DEMO_ACCOUNT_ID }, count: 20 });

    const credentials = JSON.parse((await fx.ok(['credentials', 'roleB', '--format', 'json'])).stdout) as {
      accessKeyId: string;
      expiration: string;
    };
    const issued = fx.sts.lookup(credentials.accessKeyId);
    expect(issued?.accountId).toBe(DEMO_SECOND_ACCOUNT_ID);
    expect(issued?.session).toMatchObject({ roleName: 'cross-account-admin', sessionName: 'alice@ops' });
    expect(Date.parse(credentials.expiration) - Date.now()).toBeGreaterThan(3000_000);
    const external = JSON.parse((await fx.ok(['credentials', 'roleB'])).stdout) as { mode: string };
    expect(external.mode).toBe('StsToken');
    // exec hands the role's credentials to a child process as any profile's.
    const child = await fx.ok([
      'exec',
      'roleB',
      '--',
      process.execPath,
      '-e',
      'console.log(process.env.ALIBABA_CLOUD_ACCESS_KEY_ID)',
    ]);
    expect(fx.sts.lookup(child.stdout.trim())?.accountId).toBe(DEMO_SECOND_ACCOUNT_ID);

    const profiles = await listed();
    expect(profiles.find((p) => p.name === 'roleB')).toMatchObject({
      status: 'signed-in',
      role: {
        arn: ROLE_B,
        accountId: DEMO_SECOND_ACCOUNT_ID,
        roleName: 'cross-account-admin',
        source: 'roleA',
        durationSeconds: 3600,
      },
    });
    const lines = (await fx.ok(['profile', 'list'])).stdout;
    expect(lines).toMatch(
      /roleB\s+CUSTOM\s+signed-in\s+role cross-account-admin \(account 5678901234567890\) from roleA/,
    );
  });

  it('refuses a cycle, an unknown role and an over-long duration with codes, storing nothing', async () => {
    // Checking a role refreshes the source's sign-in (its times change); no profile may appear.
    const names = async () => (await listed()).map((p) => p.name);
    const before = await names();
    const self = expectFailure(
      await fx.cli(['profile', 'add', 'loop', '--assume-role', ROLE_A, '--from', 'loop']),
      'ROLE_CYCLE',
    );
    expect(self).toContain('from itself');
    const unknown = await fx.cli([
      'profile',
      'add',
      'ghost',
      '--assume-role',
      `acs:ram::${DEMO_ACCOUNT_ID}:role/no-such-role`,
      '--from',
      'user',
      '--sts-endpoint',
      fx.stsServer.url,
    ]);
    expect(expectFailure(unknown, 'ROLE_NOT_ASSUMABLE')).toContain('does not exist');
    expect(unknown.code).toBe(1);
    // Above the role's own maximum (STS says so), and above the one hour of a chained session (said here).
    const aboveRole = await fx.cli([
      'profile',
      'add',
      'long',
      '--assume-role',
      ROLE_A,
      '--from',
      'user',
      '--duration',
      '10800',
      '--sts-endpoint',
      fx.stsServer.url,
    ]);
    expect(expectFailure(aboveRole, 'ROLE_DURATION_TOO_LONG')).toContain('10800 s');
    const chained = await fx.cli([
      'profile',
      'add',
      'long',
      '--assume-role',
      ROLE_B,
      '--from',
      'roleA',
      '--duration',
      '7200',
    ]);
    expect(expectFailure(chained, 'ROLE_DURATION_TOO_LONG')).toContain('role chaining');
    expect(chained.code).toBe(2);
    expectFailure(
      await fx.cli(['profile', 'add', 'bad', '--assume-role', 'arn:aws:iam::1:role/x', '--from', 'user']),
      'INVALID_INPUT',
    );
    expectFailure(await fx.cli(['profile', 'add', 'bad', '--assume-role', ROLE_A, '--from', 'user']), 'INVALID_INPUT');
    expectFailure(
      await fx.cli(['profile', 'add', 'bad', '--assume-role', ROLE_A, '--from', 'user', '--site', 'cn']),
      'INVALID_INPUT',
    );
    expect(await names()).toEqual(before);
    expect(before).toEqual(['user', 'roleA', 'roleB']);
  });

  it('refuses a loop found when credentials are asked for (a hand-edited file), and still lists the profiles', async () => {
    const path = join(fx.dataDir, 'profiles.json');
    const original = await readFile(path, 'utf8');
    const file = JSON.parse(original) as {
      profiles: { id: string; name: string; role?: { sourceProfileId: string } }[];
    };
    const roleA = file.profiles.find((p) => p.name === 'roleA')!;
    const roleB = file.profiles.find((p) => p.name === 'roleB')!;
    roleA.role!.sourceProfileId = roleB.id;
    await writeFile(path, JSON.stringify(file));
    try {
      const loop = expectFailure(await fx.cli(['credentials', 'roleB']), 'ROLE_CYCLE');
      expect(loop).toContain('roleB → roleA → roleB');
      expect((await listed()).find((p) => p.name === 'roleB')?.status).toBe('needs-attention');
    } finally {
      await writeFile(path, original);
    }
  });

  it('refuses login and refresh on a role profile, naming the source to sign in to', async () => {
    for (const command of ['login', 'refresh']) {
      const refused = expectFailure(await fx.cli([command, 'roleB']), 'INVALID_INPUT');
      expect(refused).toContain('"roleA"');
      expect(refused).toContain('alicloud-signin login roleA');
    }
  });

  it('keeps a source that roles depend on, naming them', async () => {
    const refused = expectFailure(await fx.cli(['profile', 'remove', 'user']), 'ROLE_SOURCE_IN_USE');
    expect(refused).toContain('"roleA"');
    expect((await listed()).map((p) => p.name)).toEqual(['user', 'roleA', 'roleB']);
  });

  it('signs the roles out with their source: NOT_SIGNED_IN naming the source, nothing printed', async () => {
    await fx.ok(['logout', 'user']);
    const profiles = await listed();
    expect(profiles.map((p) => [p.name, p.status])).toEqual([
      ['user', 'signed-out'],
      ['roleA', 'signed-out'],
      ['roleB', 'signed-out'],
    ]);
    const words = expectFailure(await fx.cli(['credentials', 'roleB']), 'NOT_SIGNED_IN');
    expect(words).toContain('"user"');
    expect(words).toContain('alicloud-signin login user');
    const buckets = await fx.cli(['buckets', 'roleB']);
    expect(buckets.code).toBe(4);
    expectFailure(buckets, 'NOT_SIGNED_IN');
  });
});
