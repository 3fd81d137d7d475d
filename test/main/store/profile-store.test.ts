import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/services/core/errors.js';
import { ProfilesFile } from '../../../main/services/profiles/schema.js';
import { ProfileStore, type NewProfile } from '../../../main/services/store/profile-store.js';
import { removeTempDirs, tempDir } from '../../helpers/tmp.js';

afterAll(removeTempDirs);

let dir: string;
let store: ProfileStore;

function input(name: string, extra: Partial<NewProfile> = {}): NewProfile {
  return {
    name,
    site: 'cn',
    region: 'cn-hangzhou',
    client: { clientId: 'client-1', redirect: { kind: 'loopback', ports: 0, callbackPath: '/callback' } },
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

beforeEach(async () => {
  dir = path.join(await tempDir('profiles-'), 'data');
  store = new ProfileStore(dir, { now: () => new Date('2030-05-06T07:08:09.000Z') });
});

describe('ProfileStore', () => {
  it('reads a missing file (and a missing folder) as empty', async () => {
    expect(await store.read()).toEqual({ version: 1, activeProfileId: null, profiles: [] });
    expect(await store.list()).toEqual([]);
  });

  it('adds profiles with random url-safe ids, times and defaults; the first becomes active', async () => {
    const a = await store.add(input('work'));
    const b = await store.add(input('home', { brokerEnabled: false }));
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({
      name: 'work',
      status: 'signed-out',
      brokerEnabled: true,
      createdAt: '2030-05-06T07:08:09.000Z',
    });
    expect(b.brokerEnabled).toBe(false);
    const file = await store.read();
    expect(file.activeProfileId).toBe(a.id);
    expect(file.profiles.map((p) => p.name)).toEqual(['work', 'home']);
    // The file parses with the schema, and folder and file are private.
    expect(ProfilesFile.parse(JSON.parse(await readFile(store.file, 'utf8')))).toEqual(file);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(store.file)).mode & 0o777).toBe(0o600);
  });

  it('refuses a second profile with the same name, ignoring case', async () => {
    await store.add(input('work'));
    expect((await failure(store.add(input('Work')))).code).toBe('PROFILE_EXISTS');
    expect(await store.list()).toHaveLength(1);
  });

  it('refuses an invalid profile with INVALID_INPUT and writes nothing', async () => {
    const error = await failure(store.add(input('bad name!')));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('name');
    await expect(stat(store.file)).rejects.toThrow();
  });

  it('never writes fields the schema does not know (no secret can slip in)', async () => {
    const sneaky = { ...input('work'), refreshToken: 'rt-SECRET', accessToken: 'at-SECRET' } as NewProfile;
    await store.add(sneaky);
    expect(await readFile(store.file, 'utf8')).not.toContain('SECRET');
  });

  it('gets by name, id or name in another case', async () => {
    const a = await store.add(input('Work'));
    expect(await store.get('Work')).toEqual(a);
    expect(await store.get(a.id)).toEqual(a);
    expect(await store.get('work')).toEqual(a);
    expect(await store.get('nope')).toBeUndefined();
  });

  it('resolves the named profile or the active one', async () => {
    expect((await failure(store.resolve())).code).toBe('NO_ACTIVE_PROFILE');
    const a = await store.add(input('work'));
    const b = await store.add(input('home'));
    expect(await store.resolve()).toEqual(a);
    expect(await store.resolve('home')).toEqual(b);
    expect((await failure(store.resolve('nope'))).code).toBe('PROFILE_NOT_FOUND');
    expect(await store.setActive('home')).toEqual(b);
    expect(await store.resolve()).toEqual(b);
    expect(await store.setActive(null)).toBeNull();
    expect((await failure(store.resolve())).message).toMatch(/No profile is active/);
    expect((await failure(store.setActive('nope'))).code).toBe('PROFILE_NOT_FOUND');
  });

  it('removes a profile; removing the active one leaves none active', async () => {
    const a = await store.add(input('work'));
    await store.add(input('home'));
    expect(await store.remove('work')).toEqual(a);
    const file = await store.read();
    expect(file.profiles.map((p) => p.name)).toEqual(['home']);
    expect(file.activeProfileId).toBeNull();
    expect((await failure(store.remove('work'))).code).toBe('PROFILE_NOT_FOUND');
  });

  it('patches fields by id, keeping id and createdAt, checking names and the schema', async () => {
    const a = await store.add(input('work'));
    await store.add(input('home'));
    const later = new ProfileStore(dir, { now: () => new Date('2031-01-01T00:00:00.000Z') });
    const patched = await later.patch(a.id, {
      status: 'signed-in',
      identity: { sub: 'u-1', name: 'Ann' },
      accessTokenExpiresAt: '2031-01-01T01:00:00.000Z',
    });
    expect(patched).toMatchObject({
      id: a.id,
      createdAt: a.createdAt,
      updatedAt: '2031-01-01T00:00:00.000Z',
      status: 'signed-in',
    });
    expect(await store.get(a.id)).toEqual(patched);
    // Clearing an optional field.
    expect((await store.patch(a.id, { identity: undefined })).identity).toBeUndefined();
    expect((await failure(store.patch(a.id, { name: 'HOME' }))).code).toBe('PROFILE_EXISTS');
    expect((await failure(store.patch(a.id, { region: 'Not A Region' }))).code).toBe('INVALID_INPUT');
    expect((await failure(store.patch('no-such-id', { region: 'cn-shanghai' }))).code).toBe('PROFILE_NOT_FOUND');
    expect((await store.patch(a.id, { name: 'Work' })).name).toBe('Work'); // its own name in another case
  });

  it('update passes the result through, validates, and writes nothing when fn throws', async () => {
    await store.add(input('work'));
    const before = await readFile(store.file, 'utf8');
    await expect(
      store.update((file) => {
        file.profiles = [];
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const invalid = await failure(
      store.update((file) => {
        (file as { version: number }).version = 7;
      }),
    );
    expect(invalid.code).toBe('INVALID_INPUT');
    expect(await readFile(store.file, 'utf8')).toBe(before);
    expect(await store.update((file) => file.profiles.length)).toBe(1);
  });

  it('clears an activeProfileId that names no profile', async () => {
    await store.add(input('work'));
    await store.update((file) => {
      file.activeProfileId = 'gone-gone-gone';
    });
    expect((await store.read()).activeProfileId).toBeNull();
  });

  it('serialises concurrent updates from two store instances (no lost update)', async () => {
    const other = new ProfileStore(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).add(input(`p${i}`))));
    expect((await store.list()).map((p) => p.name).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `p${i}`).sort(),
    );
  });

  it('moves a damaged file aside, reports it, and starts empty', async () => {
    await store.add(input('work'));
    const damaged = (await readFile(store.file, 'utf8')).replace('"version": 1', '"version": "one"');
    await writeFile(store.file, damaged);
    const error = await failure(store.read());
    expect(error.code).toBe('STORE_CORRUPT');
    const backup = (await readdir(dir)).find((n) => n.startsWith('profiles.corrupt-')) ?? '';
    expect(error.message).toContain(path.join(dir, backup));
    expect(await readFile(path.join(dir, backup), 'utf8')).toBe(damaged);
    expect(await store.list()).toEqual([]);
    await store.add(input('fresh'));
    expect(await readFile(path.join(dir, backup), 'utf8')).toBe(damaged);
  });

  it('reports a damaged file found by an update the same way and writes nothing over it', async () => {
    await store.add(input('work'));
    await writeFile(store.file, '{"version":1,"activeProfileId":null,"profiles":[{"name":1}]}');
    expect((await failure(store.add(input('home')))).code).toBe('STORE_CORRUPT');
    expect((await readdir(dir)).filter((n) => n.startsWith('profiles.corrupt-'))).toHaveLength(1);
    expect(await store.list()).toEqual([]);
  });

  it('refuses a file from a newer version without moving or changing it', async () => {
    await store.add(input('work'));
    const newer = (await readFile(store.file, 'utf8')).replace('"version": 1', '"version": 2');
    await writeFile(store.file, newer);
    expect((await failure(store.read())).code).toBe('STORE_NEWER_VERSION');
    expect((await failure(store.add(input('home')))).code).toBe('STORE_NEWER_VERSION');
    expect(await readFile(store.file, 'utf8')).toBe(newer);
    expect((await readdir(dir)).filter((n) => n.startsWith('profiles.corrupt-'))).toEqual([]);
  });
});
