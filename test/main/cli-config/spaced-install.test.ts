import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_OUTFILE } from '../../../scripts/build-cli.mjs';
import { splitOnWhiteSpace, splitShellStyle } from '../../../main/services/cli-config/index.js';
import { HAS_KEYRING } from '../../helpers/signin-fixture.js';
import { startBrokerFixture, type BrokerFixture } from '../../helpers/broker-fixture.js';

// The built CLI installed where a person's path has a space ("AliCloud Sign-in", as app bundles
// are named): `cli-config link` writes a process_command that the old white-space splitter and
// the new shell-style one both turn into the same words, and those words, run as the aliyun CLI
// runs them (looked up on PATH, no shell), print this profile's credentials.

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

let fx: BrokerFixture;
let cli: string;
let bin: string;
let file: string;
beforeAll(async () => {
  if (!HAS_KEYRING) return;
  fx = await startBrokerFixture();
  file = fx.env.ALICLOUD_SIGNIN_ALIYUN_CONFIG as string;
  await mkdir(dirname(file), { recursive: true });
  const root = await mkdtemp(join(tmpdir(), 'signin spaced '));
  const app = join(root, 'Applications', 'AliCloud Sign-in');
  await cp(dirname(CLI_OUTFILE), join(app, 'cli'), { recursive: true });
  // The bundle leaves its dependencies in node_modules, found from the bundle's own folder upwards.
  await symlink(join(REPO, 'node_modules'), join(app, 'node_modules'));
  cli = join(app, 'cli', 'alicloud-signin.mjs');
  bin = join(root, 'bin');
  await mkdir(bin, { mode: 0o755 });
}, 120_000);
afterAll(async () => fx?.close());

/** The environment the aliyun CLI would run in: PATH with our bin, the data folder NOT set (the wrapper carries it). */
function aliyunEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...fx.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  delete env.ALICLOUD_SIGNIN_HOME;
  return env;
}

/** Runs the CLI from the spaced install, as a person would. */
async function spaced(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, ...fx.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.skipIf(!HAS_KEYRING)('process_command for an install whose path has a space', () => {
  it('survives both splitters and runs this install; status checks the wrapper, --fix puts it back', async () => {
    const linked = await spaced(['cli-config', 'link', 'demo', '--as', 'spaced']);
    expect(linked.code, linked.stderr).toBe(0);
    expect(linked.stderr).toContain('a wrapper on PATH that starts this install');
    const config = JSON.parse(await readFile(file, 'utf8')) as {
      profiles: { name: string; process_command?: string }[];
    };
    const command = config.profiles.find((p) => p.name === 'spaced')?.process_command as string;
    expect(command).toMatch(/^alicloud-signin-external-[0-9a-f]{8} credentials demo$/);
    expect(command).not.toContain(' Sign-in');

    const old = splitOnWhiteSpace(command);
    const shell = splitShellStyle(command, 'linux');
    expect(old).toEqual(shell);
    for (const words of [old, shell] as string[][]) {
      const [program, ...args] = words as [string, ...string[]];
      const { stdout } = await run(program, args, { env: aliyunEnv() });
      expect(JSON.parse(stdout)).toMatchObject({ mode: 'StsToken', access_key_id: expect.any(String) });
    }

    const intact = await spaced(['cli-config', 'status', '--json']);
    expect(intact.code, intact.stderr).toBe(0);
    expect(JSON.parse(intact.stdout).profiles).toContainEqual(
      expect.objectContaining({ name: 'spaced', intact: true, problems: [] }),
    );

    await rm(join(bin, command.split(' ')[0] as string));
    const missing = await spaced(['cli-config', 'status', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).profiles).toContainEqual(
      expect.objectContaining({ name: 'spaced', problems: ['wrapper-missing'] }),
    );
    const fixed = await spaced(['cli-config', 'status', '--fix']);
    expect(fixed.code, fixed.stderr).toBe(0);
    const { stdout } = await run(command.split(' ')[0] as string, ['credentials', 'demo'], { env: aliyunEnv() });
    expect(JSON.parse(stdout)).toMatchObject({ mode: 'StsToken' });
  });
});
