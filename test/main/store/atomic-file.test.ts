import { spawnSync } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, isAppError } from '../../../main/services/core/errors.js';
import {
  moveAside,
  readJsonFile,
  removeStaleTempFiles,
  writeFileAtomic,
} from '../../../main/services/store/atomic-file.js';
import { removeTempDirs, tempDir } from '../../helpers/tmp.js';
import { appFailure } from '../../helpers/failures.js';

afterAll(removeTempDirs);

const NumberFile = z.object({ n: z.number() });
const Schema = { parse: (value: unknown) => NumberFile.parse(value) };
let dir: string;

beforeEach(async () => {
  dir = await tempDir('atomic-');
});

/** A pid that is certainly not running: a child that has already ended. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(result.stdout.toString());
}

describe('writeFileAtomic', () => {
  it('writes the content with mode 0600 and leaves no temp file', async () => {
    const file = path.join(dir, 'data.json');
    const old = process.umask(0o022);
    try {
      await writeFileAtomic(file, '{"n":1}');
      await writeFileAtomic(file, '{"n":2}');
    } finally {
      process.umask(old);
    }
    expect(await readFile(file, 'utf8')).toBe('{"n":2}');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['data.json']);
  });

  it('removes temp files of dead writers and keeps those of live ones', async () => {
    const file = path.join(dir, 'data.json');
    const dead = `.data.json.${deadPid()}.abcdef.tmp`;
    const live = `.data.json.${process.pid}.123456.tmp`;
    const other = `.other.json.${deadPid()}.abcdef.tmp`;
    for (const name of [dead, live, other]) await writeFile(path.join(dir, name), 'partial');
    await writeFileAtomic(file, '{"n":3}');
    expect((await readdir(dir)).sort()).toEqual([live, other, 'data.json'].sort());
    await removeStaleTempFiles(file);
    expect(await readdir(dir)).toContain(live);
  });

  it('reports a folder it cannot write as STORE_IO', async () => {
    const error = await appFailure(writeFileAtomic(path.join(dir, 'missing', 'data.json'), '{}'));
    expect(error.code).toBe('STORE_IO');
  });
});

describe('readJsonFile', () => {
  it('gives undefined for a missing file and the parsed value otherwise', async () => {
    const file = path.join(dir, 'data.json');
    expect(await readJsonFile(file, Schema)).toBeUndefined();
    await writeFileAtomic(file, '{"n":7,"extra":true}');
    expect(await readJsonFile(file, Schema)).toEqual({ n: 7 });
  });

  it.each([
    ['bad JSON', '{"n": 1,,,', /not valid JSON/],
    ['a schema mismatch', '{"n":"seven"}', /expected shape: check n/],
    ['an empty file', '', /not valid JSON/],
  ])('moves a file with %s aside, byte for byte, and names the copy', async (_label, content, reason) => {
    const file = path.join(dir, 'profiles.json');
    await writeFile(file, content, { mode: 0o600 });
    const error = await appFailure(readJsonFile(file, Schema));
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toMatch(reason);
    const names = await readdir(dir);
    expect(names).toHaveLength(1);
    const backup = names[0] ?? '';
    expect(backup).toMatch(/^profiles\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.json$/);
    expect(error.message).toContain(path.join(dir, backup));
    expect(await readFile(path.join(dir, backup), 'utf8')).toBe(content);
    // The next read starts from nothing; the damaged content is never overwritten.
    expect(await readJsonFile(file, Schema)).toBeUndefined();
  });

  it('never quotes the file content in the message', async () => {
    const file = path.join(dir, 'profiles.json');
    await writeFile(file, '{"n": SECRET-LOOKING-TEXT');
    const error = await appFailure(readJsonFile(file, Schema));
    expect(error.message).not.toContain('SECRET');
  });

  it('leaves the file in place without quarantine', async () => {
    const file = path.join(dir, 'profiles.json');
    await writeFile(file, 'nope');
    expect((await appFailure(readJsonFile(file, Schema, { quarantine: false }))).code).toBe('STORE_CORRUPT');
    expect(await readdir(dir)).toEqual(['profiles.json']);
  });

  it('lets an AppError from the parser through without moving the file', async () => {
    const file = path.join(dir, 'profiles.json');
    await writeFile(file, '{"n":1}');
    const parser = {
      parse(): never {
        throw new AppError('STORE_NEWER_VERSION', 'newer');
      },
    };
    expect((await appFailure(readJsonFile(file, parser))).code).toBe('STORE_NEWER_VERSION');
    expect(await readdir(dir)).toEqual(['profiles.json']);
  });

  it('reports an unreadable path as STORE_IO', async () => {
    const error = await appFailure(readJsonFile(dir, Schema)); // a folder
    expect(isAppError(error, 'STORE_IO')).toBe(true);
  });
});

describe('moveAside', () => {
  it('never overwrites an earlier backup made in the same millisecond', async () => {
    const file = path.join(dir, 'profiles.json');
    const now = new Date('2030-01-02T03:04:05.678Z');
    await writeFile(file, 'first');
    const a = await moveAside(file, now);
    await writeFile(file, 'second');
    const b = await moveAside(file, now);
    expect(path.basename(a)).toBe('profiles.corrupt-2030-01-02T03-04-05.678Z.json');
    expect(path.basename(b)).toBe('profiles.corrupt-2030-01-02T03-04-05.678Z-1.json');
    expect(await readFile(a, 'utf8')).toBe('first');
    expect(await readFile(b, 'utf8')).toBe('second');
  });
});
