import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoStarted } from '../../main/cli/commands/demo.js';
import { freshHome, runCli, type CliResult } from '../helpers/cli.js';
import { BROWSER_SCRIPT, errorCode, HAS_KEYRING, keychainLookup } from '../helpers/signin-fixture.js';

// `alicloud-signin demo` as a person runs it: the built CLI in one terminal, keeping the demo site
// up until Ctrl+C (SIGINT), and other commands in a second terminal that trusts the demo CA.

type Run = ReturnType<typeof runCli>;
const running: Run[] = [];
afterAll(() => running.forEach((run) => run.child.kill('SIGKILL')));

/** Starts `demo`, resolving once it has said how to sign in (or failing with what it printed). */
async function startDemo(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ run: Run; stdout: () => string; started?: DemoStarted }> {
  const run = runCli(['demo', ...args], { env, timeoutMs: 120_000 });
  running.push(run);
  let stdout = '';
  const ready = new Promise<void>((resolve, reject) => {
    run.child.stdout?.on('data', (chunk: string | Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n') && (args.includes('--json') || stdout.includes('Ctrl+C'))) resolve();
    });
    void run.then((result) => reject(new Error(`demo ended early (${result.code}): ${result.stderr}`)));
  });
  await ready;
  const started = args.includes('--json') ? (JSON.parse(stdout.split('\n')[0] ?? '') as DemoStarted) : undefined;
  return { run, stdout: () => stdout, ...(started ? { started } : {}) };
}

async function stop(run: Run): Promise<CliResult> {
  run.child.kill('SIGINT');
  return run;
}

/** Whether anything still listens at the URL's port. */
function connects(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The profiles as the store keeps them (the `--json` views leave out endpoints). */
async function profiles(env: NodeJS.ProcessEnv) {
  const file = join(env.ALICLOUD_SIGNIN_HOME as string, 'profiles.json');
  return JSON.parse(await readFile(file, 'utf8')) as {
    activeProfileId: string | null;
    profiles: Array<{
      id: string;
      name: string;
      site: string;
      status: string;
      endpoints?: Record<string, string>;
      ossEndpoint?: string;
    }>;
  };
}

describe('alicloud-signin demo', () => {
  it('starts the demo site on loopback, makes a demo profile, says how to sign in, and stops on Ctrl+C', async () => {
    const { env } = await freshHome();
    const { run, started } = await startDemo(['--json', '--buckets', '40'], env);
    expect(started).toMatchObject({
      demo: true,
      profile: 'demo',
      created: true,
      buckets: 40,
      logins: ['alice', 'root', 'role'],
      password: 'demo-password',
    });
    expect(started!.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(started!.ossEndpoint).toMatch(/^https:\/\/(127\.0\.0\.1|localhost):\d+$/);

    // The profile points at this run; the first profile becomes the active one.
    const list = await profiles(env);
    expect(list.activeProfileId).toBe(started!.id);
    expect(list.profiles).toHaveLength(1);
    expect(list.profiles[0]).toMatchObject({
      id: started!.id,
      name: 'demo',
      site: 'custom',
      status: 'signed-out',
      ossEndpoint: started!.ossEndpoint,
    });
    expect(list.profiles[0]?.endpoints?.issuer).toBe(started!.issuer);

    // The CA file it wrote is the one the demo site's certificate chains to.
    const ca = await readFile(started!.caFile, 'utf8');
    const agent = new Agent({ connect: { ca } });
    try {
      const discovery = await fetch(`${started!.issuer}/.well-known/openid-configuration`, { dispatcher: agent });
      expect(discovery.status).toBe(200);
      expect(((await discovery.json()) as { issuer: string }).issuer).toBe(started!.issuer);
      const oss = await fetch(`${started!.ossEndpoint}/`, { dispatcher: agent });
      expect(oss.headers.get('server')).toBe('AliyunOSS');
      await oss.body?.cancel();
    } finally {
      await agent.close();
    }

    const stopped = await stop(run);
    expect(stopped.code, stopped.stderr).toBe(0);
    // Labelled as a demo, with the way to trust it and to sign in.
    expect(stopped.stderr).toMatch(/^DEMO: /);
    expect(stopped.stderr).toContain('nothing here reaches Alibaba Cloud');
    expect(stopped.stderr).toContain(`export NODE_EXTRA_CA_CERTS=${started!.caFile}`);
    expect(stopped.stderr).toContain('alicloud-signin login demo');
    expect(stopped.stderr).toContain('Demo stopped (SIGINT)');
    expect(existsSync(started!.caFile)).toBe(false);
    expect(await connects(started!.issuer)).toBe(false);

    // Started again: the same profile, pointed at the new ports.
    const again = await startDemo(['--json', '--buckets', '0'], env);
    expect(again.started).toMatchObject({ id: started!.id, created: false, buckets: 0 });
    expect(again.started!.issuer).not.toBe(started!.issuer);
    expect((await profiles(env)).profiles[0]?.endpoints?.issuer).toBe(again.started!.issuer);
    expect((await stop(again.run)).code).toBe(0);
  });

  it('never touches a profile of that name that is not a demo profile, and checks its arguments', async () => {
    const { env } = await freshHome();
    const added = await runCli(['profile', 'add', 'prod', '--site', 'cn'], { env });
    expect(added.code, added.stderr).toBe(0);
    const refused = await runCli(['demo', 'prod'], { env, timeoutMs: 30_000 });
    expect(refused.code).toBe(2);
    expect(errorCode(refused)).toBe('PROFILE_EXISTS');
    expect(refused.stdout).toBe('');
    const [prod, ...others] = (await profiles(env)).profiles;
    expect(others).toEqual([]);
    expect(prod).toMatchObject({ name: 'prod', site: 'cn' });
    expect(prod?.endpoints).toBeUndefined();

    for (const args of [
      ['--buckets', 'many'],
      ['--buckets', '100001'],
      ['a', 'b'],
      ['--port', '1'],
    ]) {
      const bad = await runCli(['demo', ...args], { env, timeoutMs: 30_000 });
      expect(bad.code, args.join(' ')).toBe(2);
      expect(errorCode(bad)).toBe('INVALID_INPUT');
    }
  });
});

describe.skipIf(!HAS_KEYRING)('alicloud-signin demo with the keychain', () => {
  it('a second terminal signs in and lists the buckets; a restart forgets the sign-in that died with the last run', async () => {
    const { env } = await freshHome();
    const first = await startDemo(['--buckets', '120'], env);
    const text = first.stdout();
    expect(text).toMatch(/^DEMO: /);
    const caFile = /export NODE_EXTRA_CA_CERTS=(\S+)/.exec(text)?.[1];
    expect(caFile).toBeTruthy();
    const other = {
      ...env,
      NODE_EXTRA_CA_CERTS: caFile,
      DEMO_CA_FILE: caFile,
      BROWSER: `${process.execPath} ${BROWSER_SCRIPT}`,
    };

    const login = await runCli(['login', 'demo'], { env: other });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('as alice@');
    const buckets = await runCli(['buckets', 'demo', '--json'], { env: other });
    expect(buckets.code, buckets.stderr).toBe(0);
    expect((JSON.parse(buckets.stdout) as { count: number }).count).toBe(120);
    const id = (await profiles(env)).profiles[0]!.id;
    expect(await keychainLookup(id)).toBeTruthy();
    expect((await stop(first.run)).code).toBe(0);

    const second = await startDemo(['--json'], env);
    expect(second.started).toMatchObject({ id, created: false, buckets: 300 });
    expect(await keychainLookup(id)).toBeNull();
    expect((await profiles(env)).profiles[0]).toMatchObject({ status: 'signed-out' });
    const whoami = await runCli(['whoami', 'demo'], { env: { ...other, NODE_EXTRA_CA_CERTS: second.started!.caFile } });
    expect(whoami.stdout + whoami.stderr).not.toContain('alice@');
    expect((await stop(second.run)).code).toBe(0);
  });
});
