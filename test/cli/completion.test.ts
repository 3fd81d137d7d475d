import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPEC } from '../../main/cli/complete.js';
import { COMMANDS } from '../../main/cli/index.js';
import { CLI_OUTFILE } from '../../scripts/build-cli.mjs';
import { freshHome, runCli } from '../helpers/cli.js';

// The completion scripts, loaded into real shells that ask them for candidates, with the built CLI
// on PATH as `alicloud-signin` and a profiles file holding `alpha` and `beta-2`.

const run = promisify(execFile);
const ZSH = '/usr/bin/zsh';
const FISH = ['/usr/bin/fish', '/usr/local/bin/fish'].find((path) => existsSync(path));

let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  const { home, env: homeEnv } = await freshHome();
  const bin = join(home, 'bin');
  await mkdir(bin);
  await symlink(CLI_OUTFILE, join(bin, 'alicloud-signin'));
  env = { ...process.env, ...homeEnv, PATH: `${bin}:${process.env.PATH ?? ''}` };
  for (const name of ['alpha', 'beta-2']) {
    const added = await runCli(['profile', 'add', name, '--site', 'cn'], { env });
    expect(added.code, added.stderr).toBe(0);
  }
});

/** What bash's completion offers for the words of a command line (the last one is being typed). */
async function bash(...words: string[]): Promise<string[]> {
  const line = ['alicloud-signin', ...words].map((w) => `'${w}'`).join(' ');
  const script = [
    'source <(alicloud-signin completion bash)',
    `COMP_WORDS=(${line})`,
    `COMP_CWORD=${words.length}`,
    '_alicloud_signin',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const { stdout } = await run('bash', ['-c', script], { env });
  return stdout.split('\n').filter(Boolean);
}

/**
 * What zsh's completion offers: compinit, the script loaded as a person would, then the
 * completion function called with `words`/`CURRENT` set, `compadd` (and the file and command
 * completers) captured by printing what they were given.
 */
async function zsh(...words: string[]): Promise<string[]> {
  const line = ['alicloud-signin', ...words].map((w) => `'${w}'`).join(' ');
  const script = [
    'autoload -Uz compinit && compinit -u -D',
    'source <(alicloud-signin completion zsh)',
    'print -r -- "registered:${_comps[alicloud-signin]}"',
    'compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift; print -rl -- "$@"; }',
    '_files() { print -r -- "<files>"; }',
    '_command_names() { print -r -- "<commands>"; }',
    `words=(${line})`,
    `CURRENT=${words.length + 1}`,
    '_alicloud_signin',
  ].join('\n');
  const { stdout, stderr } = await run(ZSH, ['-f', '-c', script], { env });
  expect(stderr).toBe('');
  const lines = stdout.split('\n').filter(Boolean);
  expect(lines[0]).toBe('registered:_alicloud_signin');
  return lines.slice(1);
}

describe('alicloud-signin completion', () => {
  it('offers every command of the CLI, and only those', () => {
    const offered = Object.keys(SPEC).sort();
    const commands = Object.keys(COMMANDS)
      .filter((name) => !name.startsWith('__'))
      .sort();
    expect(offered).toEqual(commands);
  });

  it('bash: commands, subcommands, flags, flag values and profile names from the profile file', async () => {
    expect(await bash('pro')).toEqual(['profile']);
    expect(await bash('profile', '')).toEqual(['add', 'list', 'remove']);
    expect(await bash('use', '')).toEqual(['alpha', 'beta-2']);
    expect(await bash('whoami', 'b')).toEqual(['beta-2']);
    expect(await bash('credentials', '--f')).toEqual(['--format']);
    expect(await bash('credentials', '--format', '')).toEqual(['external', 'env', 'json']);
    expect(await bash('credentials', '--format', 'json', '')).toEqual(['alpha', 'beta-2']);
    expect(await bash('profile', 'add', 'x', '--from', 'al')).toEqual(['alpha']);
    expect(await bash('broker', 'url', '')).toEqual(['alpha', 'beta-2']);
    expect(await bash('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await bash('login', '--no-browser', '--')).toEqual(['--timeout', '--json']);
  });

  it('bash: exec takes a profile, its flags, then a command and that command’s files', async () => {
    expect(await bash('exec', '')).toEqual(['alpha', 'beta-2']);
    expect(await bash('exec', '--s')).toEqual(['--server']);
    expect(await bash('exec', 'alpha', '--', 'printen')).toContain('printenv');
    expect(await bash('exec', '--', 'printen')).toContain('printenv');
    expect(await bash('exec', 'alpha', 'ls', '/et')).toContain('/etc');
    expect(await bash('cli-config', 'link', 'alpha', '--config-path', '/et')).toContain('/etc');
  });

  it('zsh: the script loads under compinit and completes the same', async () => {
    expect(await zsh('pro')).toEqual(['profile']);
    expect(await zsh('use', '')).toEqual(['alpha', 'beta-2']);
    expect(await zsh('credentials', '--format', '')).toEqual(['external', 'env', 'json']);
    expect(await zsh('exec', '--', '')).toEqual(['<commands>']);
    expect(await zsh('exec', 'alpha', 'ls', '')).toEqual(['<files>']);
  });

  it.skipIf(!FISH)(
    'fish: the script loads and completes profile names (skipped: fish is not installed here)',
    async () => {
      const script = 'alicloud-signin completion fish | source; complete -C "alicloud-signin use "';
      const { stdout } = await run(FISH as string, ['-c', script], { env });
      expect(stdout.split('\n').filter(Boolean)).toEqual(['alpha', 'beta-2']);
    },
  );

  it('__complete reads the names without the keychain, and an unknown shell is a usage error', async () => {
    // No D-Bus session at all: a keychain read would fail; the candidates come from the file alone.
    const names = await runCli(['__complete', '--', 'use', ''], { env: { ...env, DBUS_SESSION_BUS_ADDRESS: '' } });
    expect(names).toMatchObject({ code: 0, stdout: 'alpha\nbeta-2\n', stderr: '' });
    const bad = await runCli(['completion', 'powershell'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('completion bash|zsh|fish');
  });
});
