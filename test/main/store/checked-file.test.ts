import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ClockFile } from '../../../main/services/clock/clock-file.js';
import { ServerClock } from '../../../main/services/clock/server-clock.js';
import { ProfilesFile } from '../../../main/services/profiles/schema.js';
import { ProfileStore } from '../../../main/services/store/profile-store.js';
import { removeTempDirs, tempDir } from '../../helpers/tmp.js';
import { appFailure } from '../../helpers/failures.js';
import { profileInput } from '../../helpers/store-inputs.js';

// A read of a file whose exact text the schema accepted before skips the schema (and zod): it must
// give what the schema would, and anything else (a hand edit, a note of other rules) is checked in full.

afterAll(removeTempDirs);

let dir: string;
let store: ProfileStore;
const note = () => readFile(path.join(dir, '.profiles.json.checked'), 'utf8');

beforeEach(async () => {
  dir = path.join(await tempDir('checked-'), 'data');
  store = new ProfileStore(dir);
});

describe('reading a file the schema already accepted', () => {
  it('gives exactly what the schema gives, role statuses derived as they are now', async () => {
    const source = await store.add(profileInput('source', { identity: { sub: 's', aid: '1' } }));
    const role = await store.add(
      profileInput('role', {
        role: { arn: 'acs:ram::2:role/r', sourceProfileId: source.id, sessionName: 'sess', durationSeconds: 3600 },
      }),
    );
    await store.patch(source.id, { status: 'signed-in' });
    const text = await readFile(store.file, 'utf8');
    // The build's rules id, a space, the SHA-256 of the text.
    expect(await note()).toMatch(/^[0-9a-f]{16} [0-9a-f]{64}\n$/);
    const read = await store.read();
    expect(read).toEqual(ProfilesFile.parse(JSON.parse(text)));
    expect(read.profiles.find((p) => p.id === role.id)?.status).toBe('signed-in');
  });

  it('checks a hand-edited file in full: an invalid one is damaged although a note lies beside it', async () => {
    await store.add(profileInput('work'));
    const text = await readFile(store.file, 'utf8');
    await writeFile(store.file, text.replace('"signed-out"', '"signed-in-forever"'));
    const error = await appFailure(new ProfileStore(dir).read());
    expect(error.code).toBe('STORE_CORRUPT');
  });

  it('normalises a valid hand edit, and records no note for text the schema changed', async () => {
    await store.add(profileInput('work'));
    const before = await note();
    const text = await readFile(store.file, 'utf8');
    await writeFile(store.file, text.replace('"cn-hangzhou"', '"OSS-CN-Shanghai"'));
    const [profile] = (await new ProfileStore(dir).read()).profiles;
    expect(profile?.region).toBe('cn-shanghai');
    expect(await note()).toBe(before);
  });

  it('records a note for a file it checked whose text the schema left as it was', async () => {
    await store.add(profileInput('work'));
    const text = await readFile(store.file, 'utf8');
    await writeFile(path.join(dir, '.profiles.json.checked'), '');
    expect((await store.read()).profiles).toHaveLength(1);
    expect(await note()).toMatch(/ [0-9a-f]{64}\n$/);
    expect(await readFile(store.file, 'utf8')).toBe(text);
  });

  it('checks in full when the note names other rules (another build)', async () => {
    await store.add(profileInput('work'));
    const text = await readFile(store.file, 'utf8');
    const broken = text.replace('"client-1"', '""');
    const [, digestOfOld] = (await note()).trim().split(' ');
    expect(digestOfOld).toMatch(/^[0-9a-f]{64}$/);
    // A note for the broken text, but under other rules: still checked.
    const { createHash } = await import('node:crypto');
    await writeFile(
      path.join(dir, '.profiles.json.checked'),
      `0000000000000000 ${createHash('sha256').update(broken).digest('hex')}\n`,
    );
    await writeFile(store.file, broken);
    expect((await appFailure(new ProfileStore(dir).read())).code).toBe('STORE_CORRUPT');
  });

  it('switching the active profile writes a file the schema accepts', async () => {
    const a = await store.add(profileInput('a'));
    const b = await store.add(profileInput('b'));
    await store.setActive('b');
    const text = await readFile(store.file, 'utf8');
    expect(ProfilesFile.parse(JSON.parse(text)).activeProfileId).toBe(b.id);
    await store.setActive(a.id);
    expect((await new ProfileStore(dir).read()).activeProfileId).toBe(a.id);
  });
});

describe('the clock file', () => {
  it('reads what it wrote, and a hand-broken file as empty', async () => {
    const local = Date.UTC(2026, 5, 1);
    const server = new ServerClock({ localNow: () => local });
    const clock = new ClockFile(dir);
    clock.follow(server);
    server.record('https://oauth.aliyun.com', local + 120_000);
    await clock.flush();
    expect(await new ClockFile(dir).read()).toMatchObject([{ origin: 'https://oauth.aliyun.com', offsetMs: 120_500 }]);
    const text = await readFile(clock.path, 'utf8');
    await writeFile(clock.path, text.replace('120500', '"a lot"'));
    expect(await new ClockFile(dir).read()).toEqual([]);
  });
});
