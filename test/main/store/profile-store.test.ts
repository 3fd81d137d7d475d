import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ProfilesFile } from '../../../main/services/profiles/schema.js';
import { newProfileId, ProfileStore, type NewProfile } from '../../../main/services/store/profile-store.js';
import { removeTempDirs, tempDir } from '../../helpers/tmp.js';
import { appFailure } from '../../helpers/failures.js';
import { profileInput } from '../../helpers/store-inputs.js';

afterAll(removeTempDirs);

let dir: string;
let store: ProfileStore;

beforeEach(async () => {
  dir = path.join(await tempDir('profiles-'), 'data');
  store = new ProfileStore(dir, { now: () => new Date('2030-05-06T07:08:09.000Z') });
});

describe('ProfileStore', () => {
  it('reads a missing file (and a missing folder) as empty', async () => {
    expect(await store.read()).toEqual({ version: 1, activeProfileId: null, profiles: [] });
    expect(await store.list()).toEqual([]);
  });

  it('makes ids no command line takes for an option: never a leading dash', () => {
    const ids = Array.from({ length: 5000 }, () => newProfileId());
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    // Still random and URL-safe, 22 characters (128 bits).
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });

  it('adds profiles with random url-safe ids, times and defaults; the first becomes active', async () => {
    const a = await store.add(profileInput('work'));
    const b = await store.add(profileInput('home', { brokerEnabled: false }));
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
    await store.add(profileInput('work'));
    expect((await appFailure(store.add(profileInput('Work')))).code).toBe('PROFILE_EXISTS');
    expect(await store.list()).toHaveLength(1);
  });

  it('refuses an invalid profile with INVALID_INPUT and writes nothing', async () => {
    const error = await appFailure(store.add(profileInput('bad name!')));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('name');
    await expect(stat(store.file)).rejects.toThrow();
  });

  it('never writes fields the schema does not know (no secret can slip in)', async () => {
    const sneaky = { ...profileInput('work'), refreshToken: 'rt-SECRET', accessToken: 'at-SECRET' } as NewProfile;
    await store.add(sneaky);
    expect(await readFile(store.file, 'utf8')).not.toContain('SECRET');
  });

  it('gets by name, id or name in another case', async () => {
    const a = await store.add(profileInput('Work'));
    expect(await store.get('Work')).toEqual(a);
    expect(await store.get(a.id)).toEqual(a);
    expect(await store.get('work')).toEqual(a);
    expect(await store.get('nope')).toBeUndefined();
  });

  it('resolves the named profile or the active one', async () => {
    expect((await appFailure(store.resolve())).code).toBe('NO_ACTIVE_PROFILE');
    const a = await store.add(profileInput('work'));
    const b = await store.add(profileInput('home'));
    expect(await store.resolve()).toEqual(a);
    expect(await store.resolve('home')).toEqual(b);
    expect((await appFailure(store.resolve('nope'))).code).toBe('PROFILE_NOT_FOUND');
    expect(await store.setActive('home')).toEqual(b);
    expect(await store.resolve()).toEqual(b);
    expect(await store.setActive(null)).toBeNull();
    expect((await appFailure(store.resolve())).message).toMatch(/No profile is active/);
    expect((await appFailure(store.setActive('nope'))).code).toBe('PROFILE_NOT_FOUND');
  });

  it('removes a profile; removing the active one leaves none active', async () => {
    const a = await store.add(profileInput('work'));
    await store.add(profileInput('home'));
    expect(await store.remove('work')).toEqual(a);
    const file = await store.read();
    expect(file.profiles.map((p) => p.name)).toEqual(['home']);
    expect(file.activeProfileId).toBeNull();
    expect((await appFailure(store.remove('work'))).code).toBe('PROFILE_NOT_FOUND');
  });

  it('patches fields by id, keeping id and createdAt, checking names and the schema', async () => {
    const a = await store.add(profileInput('work'));
    await store.add(profileInput('home'));
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
    expect((await appFailure(store.patch(a.id, { name: 'HOME' }))).code).toBe('PROFILE_EXISTS');
    expect((await appFailure(store.patch(a.id, { region: 'Not A Region' }))).code).toBe('INVALID_INPUT');
    expect((await appFailure(store.patch('no-such-id', { region: 'cn-shanghai' }))).code).toBe('PROFILE_NOT_FOUND');
    expect((await store.patch(a.id, { name: 'Work' })).name).toBe('Work'); // its own name in another case
  });

  it('update passes the result through, validates, and writes nothing when fn throws', async () => {
    await store.add(profileInput('work'));
    const before = await readFile(store.file, 'utf8');
    await expect(
      store.update((file) => {
        file.profiles = [];
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const invalid = await appFailure(
      store.update((file) => {
        (file as { version: number }).version = 7;
      }),
    );
    expect(invalid.code).toBe('INVALID_INPUT');
    expect(await readFile(store.file, 'utf8')).toBe(before);
    expect(await store.update((file) => file.profiles.length)).toBe(1);
  });

  it('clears an activeProfileId that names no profile', async () => {
    await store.add(profileInput('work'));
    await store.update((file) => {
      file.activeProfileId = 'gone-gone-gone';
    });
    expect((await store.read()).activeProfileId).toBeNull();
  });

  it('serialises concurrent updates from two store instances (no lost update)', async () => {
    const other = new ProfileStore(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).add(profileInput(`p${i}`))));
    expect((await store.list()).map((p) => p.name).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `p${i}`).sort(),
    );
  });

  it('moves a damaged file aside, reports it, and starts empty', async () => {
    await store.add(profileInput('work'));
    const damaged = (await readFile(store.file, 'utf8')).replace('"version": 1', '"version": "one"');
    await writeFile(store.file, damaged);
    const error = await appFailure(store.read());
    expect(error.code).toBe('STORE_CORRUPT');
    const backup = (await readdir(dir)).find((n) => n.startsWith('profiles.corrupt-')) ?? '';
    expect(error.message).toContain(path.join(dir, backup));
    expect(await readFile(path.join(dir, backup), 'utf8')).toBe(damaged);
    expect(await store.list()).toEqual([]);
    await store.add(profileInput('fresh'));
    expect(await readFile(path.join(dir, backup), 'utf8')).toBe(damaged);
  });

  it('reports a damaged file found by an update the same way and writes nothing over it', async () => {
    await store.add(profileInput('work'));
    await writeFile(store.file, '{"version":1,"activeProfileId":null,"profiles":[{"name":1}]}');
    expect((await appFailure(store.add(profileInput('home')))).code).toBe('STORE_CORRUPT');
    expect((await readdir(dir)).filter((n) => n.startsWith('profiles.corrupt-'))).toHaveLength(1);
    expect(await store.list()).toEqual([]);
  });

  it('refuses a file from a newer version without moving or changing it', async () => {
    await store.add(profileInput('work'));
    const newer = (await readFile(store.file, 'utf8')).replace('"version": 1', '"version": 2');
    await writeFile(store.file, newer);
    expect((await appFailure(store.read())).code).toBe('STORE_NEWER_VERSION');
    expect((await appFailure(store.add(profileInput('home')))).code).toBe('STORE_NEWER_VERSION');
    expect(await readFile(store.file, 'utf8')).toBe(newer);
    expect((await readdir(dir)).filter((n) => n.startsWith('profiles.corrupt-'))).toEqual([]);
  });
});
