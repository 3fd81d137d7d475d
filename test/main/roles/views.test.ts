import { describe, expect, it } from 'vitest';
import { toSnapshot } from '../../../main/ipc/views.js';
import { ProfilesFile } from '../../../main/services/profiles/schema.js';

const ROLE_B = 'acs:ram::5678901234567890:role/cross-account-admin';

describe('the window’s view of a role profile', () => {
  it('gets its source’s name and status from the profiles file (main’s snapshot)', () => {
    const now = new Date().toISOString();
    const base = {
      site: 'cn',
      client: {
        clientId: '4038181954557748008',
        redirect: { kind: 'loopback', ports: { from: 12345, to: 12349 }, callbackPath: '/cli/callback' },
      },
      region: 'cn-hangzhou',
      brokerEnabled: true,
      createdAt: now,
      updatedAt: now,
    };
    const file = ProfilesFile.parse({
      version: 1,
      activeProfileId: 'role-b-profile',
      profiles: [
        { ...base, id: 'user-profile', name: 'alice', status: 'signed-out' },
        {
          ...base,
          id: 'role-b-profile',
          name: 'prod-admin',
          status: 'signed-in',
          role: {
            arn: ROLE_B,
            sourceProfileId: 'user-profile',
            sessionName: 'alicloud-signin-alice',
            durationSeconds: 3600,
          },
        },
      ],
    });
    const view = toSnapshot(file).profiles[1]!;
    expect(view.role).toEqual({
      arn: ROLE_B,
      accountId: '5678901234567890',
      roleName: 'cross-account-admin',
      source: 'alice',
    });
    expect(view.status).toBe('signed-out');
    expect(toSnapshot(file).profiles[0]!.role).toBeUndefined();
  });
});
