import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  externalProcessCommand,
  installWrapper,
  ourCommandProfile,
  splitOnWhiteSpace,
  splitShellStyle,
  wrapperState,
} from '../../../main/services/cli-config/index.js';

// process_command is split on white space by aliyun CLIs before 3.4.9 and shell-style (quotes,
// backslashes) by 3.4.9 and credentials-go. What we write must give the same words to both, and
// those words must start this install even when its path holds a space or a quote.

const run = promisify(execFile);
const SYSTEM_PATH = '/usr/bin:/bin';

/** A stand-in for the install in a folder whose name has a space (and a quote): prints what it was given. */
async function spacedInstall(folder = "My Apps/Bob's tools"): Promise<{ root: string; script: string }> {
  const root = await mkdtemp(join(tmpdir(), 'signin install '));
  const dir = join(root, folder);
  await mkdir(dir, { recursive: true });
  const script = join(dir, 'alicloud-signin.mjs');
  await writeFile(
    script,
    'process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), home: process.env.ALICLOUD_SIGNIN_HOME ?? null }));\n',
  );
  return { root, script };
}

/** Runs the words as the aliyun CLI would: the first is looked up on PATH, the rest are its arguments. */
async function runWords(words: string[], path: string): Promise<{ argv: string[]; home: string | null }> {
  const [program, ...args] = words as [string, ...string[]];
  const { stdout } = await run(program, args, { env: { PATH: path } });
  return JSON.parse(stdout) as { argv: string[]; home: string | null };
}

describe('the two splitters', () => {
  it('read quotes, backslashes and white space as documented, and refuse what they cannot read', () => {
    expect(splitShellStyle(`a "b c" 'd e' f\\ g "h\\"i" ""`, 'linux')).toEqual(['a', 'b c', 'd e', 'f g', 'h"i', '']);
    expect(splitShellStyle('C:\\node.exe "C:\\Program Files\\x.mjs"', 'win32')).toEqual([
      'C:\\node.exe',
      'C:\\Program Files\\x.mjs',
    ]);
    expect(splitShellStyle('"open', 'linux')).toBeUndefined();
    expect(splitShellStyle('trailing\\', 'linux')).toBeUndefined();
    expect(splitOnWhiteSpace(' a \t b ')).toEqual(['a', 'b']);
    // Why quoting is no way out: the old splitter keeps the quotes and cuts the path in two.
    expect(splitOnWhiteSpace(`'/My Apps/x' credentials demo`)).not.toEqual(
      splitShellStyle(`'/My Apps/x' credentials demo`, 'linux'),
    );
  });
});

describe('process_command for External mode', () => {
  it('names this install directly when every word is plain, the data folder through env', () => {
    const plan = externalProcessCommand('demo', {
      argv: ['/usr/bin/node', '/opt/alicloud-signin.mjs'],
      env: { ALICLOUD_SIGNIN_HOME: '/d' },
      platform: 'linux',
    });
    expect(plan).toEqual({
      command: 'env ALICLOUD_SIGNIN_HOME=/d /usr/bin/node /opt/alicloud-signin.mjs credentials demo',
      program: '/usr/bin/node',
    });
    expect(splitOnWhiteSpace(plan.command)).toEqual(splitShellStyle(plan.command, 'linux'));
    expect(ourCommandProfile(plan.command)).toBe('demo');
    expect(ourCommandProfile('other-tool creds')).toBeUndefined();
    // Windows paths with backslashes are written with forward slashes, which Windows accepts.
    expect(
      externalProcessCommand('demo', { argv: ['C:\\node\\node.exe', 'C:\\a\\b.mjs'], env: {}, platform: 'win32' })
        .command,
    ).toBe('C:/node/node.exe C:/a/b.mjs credentials demo');
  });

  it('with a space and a quote in the real install path, runs a wrapper on PATH that both splitters read alike', async () => {
    const { root, script } = await spacedInstall();
    const bin = join(root, 'bin');
    await mkdir(bin, { mode: 0o755 });
    const home = join(root, 'data dir');
    const plan = externalProcessCommand('demo', {
      argv: [process.execPath, script],
      env: { ALICLOUD_SIGNIN_HOME: home },
      platform: 'linux',
    });
    expect(plan.wrapper, 'a path with a space cannot be written directly').toBeDefined();
    const path = `${bin}:${SYSTEM_PATH}`;
    expect(await wrapperState(plan.wrapper!, { env: { PATH: path } })).toBe('missing');
    const installed = await installWrapper(plan.wrapper!, { env: { PATH: path }, platform: 'linux' });
    expect(installed).toMatchObject({ file: join(bin, plan.wrapper!.fileName), written: true });
    expect(installed.warning).toBeUndefined();
    expect((await stat(installed.file)).mode & 0o777).toBe(0o755);
    expect(await wrapperState(plan.wrapper!, { env: { PATH: path } })).toBe('ok');

    const old = splitOnWhiteSpace(plan.command);
    const shell = splitShellStyle(plan.command, 'linux');
    expect(old).toEqual(shell);
    for (const words of [old, shell]) {
      expect(await runWords(words!, path)).toEqual({ argv: ['credentials', 'demo'], home });
    }
    // The same again installs nothing new.
    expect((await installWrapper(plan.wrapper!, { env: { PATH: path }, platform: 'linux' })).written).toBe(false);
  });

  it('never replaces a file it did not write, skips folders others can write, and updates its own wrapper', async () => {
    const { root, script } = await spacedInstall('Other Apps');
    const shared = join(root, 'shared-bin');
    const own = join(root, 'own-bin');
    await mkdir(shared);
    await chmod(shared, 0o777);
    await mkdir(own, { mode: 0o755 });
    const where = { env: { PATH: `${shared}:${own}` }, platform: 'linux' as const };
    const plan = externalProcessCommand('demo', { argv: [process.execPath, script], env: {}, platform: 'linux' });
    const installed = await installWrapper(plan.wrapper!, where);
    expect(installed.file, 'a folder others can write is no place for it').toBe(join(own, plan.wrapper!.fileName));

    // Another install moves: our stale wrapper is rewritten in place.
    const moved = externalProcessCommand('demo', {
      argv: [process.execPath, `${script}.new`],
      env: {},
      platform: 'linux',
    });
    expect(await wrapperState(moved.wrapper!, where)).toBe('stale');
    expect((await installWrapper(moved.wrapper!, where)).written).toBe(true);
    expect(await readFile(installed.file, 'utf8')).toBe(moved.wrapper!.content);

    // Someone else's program under that name first on PATH: refused, left as it was.
    const foreign = join(root, 'foreign-bin');
    await mkdir(foreign, { mode: 0o755 });
    await writeFile(join(foreign, plan.wrapper!.fileName), '#!/bin/sh\necho theirs\n', { mode: 0o755 });
    await expect(
      installWrapper(plan.wrapper!, { env: { PATH: `${foreign}:${own}` }, platform: 'linux' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await readFile(join(foreign, plan.wrapper!.fileName), 'utf8')).toBe('#!/bin/sh\necho theirs\n');
  });
});
