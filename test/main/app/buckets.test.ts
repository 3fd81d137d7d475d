import { afterAll, describe, expect, it } from 'vitest';
import { BucketListings } from '../../../main/services/app/buckets.js';
import { AppError } from '../../../main/services/core/errors.js';
import type { FetchLike } from '../../../main/services/net/http.js';
import type { StsCredentials } from '../../../main/services/oss/types.js';
import { ProfileStore } from '../../../main/services/store/profile-store.js';
import type { StsService } from '../../../main/services/sts/sts-service.js';
import { removeTempDirs, tempDir } from '../../helpers/tmp.js';

// The window's listings, one per profile, over a real profile store and an OSS that never
// answers until the request is aborted: why each listing stopped is in its code.

afterAll(removeTempDirs);

const KEYS: StsCredentials = {
  accessKeyId: 'STS.test',
  accessKeySecret: 'secret',
  securityToken: 'token',
  expiration: new Date(Date.now() + 3_600_000),
};

/** An OSS that holds every request open until its signal aborts (then rejects as fetch does). */
const silentOss: FetchLike = (_url, init) =>
  new Promise((_resolve, reject) => {
    const signal = init?.signal;
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

async function setup(status: 'signed-in' | 'signed-out' = 'signed-in') {
  const store = new ProfileStore(await tempDir('alicloud-signin-listings-'));
  const profile = await store.add({
    name: 'prod',
    site: 'cn',
    client: { clientId: '1', redirect: { kind: 'loopback', ports: 0, callbackPath: '/callback' } },
    region: 'cn-hangzhou',
    status,
  });
  const forgotten: string[] = [];
  const sts = {
    credentials: async (id: string) => {
      if (forgotten.includes(id)) throw new AppError('NOT_SIGNED_IN', 'Profile "prod" is not signed in.');
      return KEYS;
    },
    forget: (id: string) => void forgotten.push(id),
  } as unknown as StsService;
  return { listings: new BucketListings({ store, sts, fetch: silentOss }), profile, forgotten };
}

describe('bucket listings in the window', () => {
  it('a newer listing of the same profile supersedes the one before: REQUEST_SUPERSEDED', async () => {
    const { listings, profile } = await setup();
    const first = listings.list(profile.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = listings.list(profile.id);
    await expect(first).rejects.toMatchObject({ code: 'REQUEST_SUPERSEDED' });
    listings.stop(profile.id);
    await expect(second).rejects.toMatchObject({ code: 'OPERATION_CANCELLED' });
  });

  it('stopping every listing (the window closing) cancels each: OPERATION_CANCELLED, never SIGNIN_CANCELLED', async () => {
    const { listings, profile } = await setup();
    const pending = listings.list(profile.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    listings.stopAll();
    const error: unknown = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('OPERATION_CANCELLED');
  });

  it('a profile that is not signed in lists nothing from credentials held before', async () => {
    const { listings, profile, forgotten } = await setup('signed-out');
    await expect(listings.list(profile.id)).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect(forgotten).toContain(profile.id);
  });
});
