import { afterAll, describe, expect, it } from 'vitest';
import type { DemoStarted } from '../../main/cli/commands/demo.js';
import { DEMO_SECOND_ACCOUNT_ID, secondAccountBuckets } from '../../main/demo/sts-server/index.js';
import { freshHome, runCli } from '../helpers/cli.js';
import { BROWSER_SCRIPT, HAS_KEYRING } from '../helpers/signin-fixture.js';

// `alicloud-signin demo` runs the demo STS too: the chain into the second account, offline, with
// the commands its instructions print.

const running: ReturnType<typeof runCli>[] = [];
afterAll(() => running.forEach((run) => run.child.kill('SIGKILL')));

describe.skipIf(!HAS_KEYRING)('alicloud-signin demo with role profiles', () => {
  it('prints the role commands, and they list the second account’s buckets', async () => {
    const { env } = await freshHome();
    const demo = runCli(['demo', '--json', '--buckets', '7'], { env, timeoutMs: 120_000 });
    running.push(demo);
    let stdout = '';
    let stderr = '';
    demo.child.stderr?.on('data', (chunk: Buffer | string) => (stderr += String(chunk)));
    await new Promise<void>((resolve, reject) => {
      demo.child.stdout?.on('data', (chunk: Buffer | string) => {
        stdout += String(chunk);
        if (stdout.includes('\n')) resolve();
      });
      void demo.then((result) => reject(new Error(`demo ended early (${result.code}): ${result.stderr}`)));
    });
    const started = JSON.parse(stdout.split('\n')[0] ?? '') as DemoStarted;
    expect(started.stsEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(started.roles).toContain(`acs:ram::${DEMO_SECOND_ACCOUNT_ID}:role/cross-account-admin`);
    const other = {
      ...env,
      NODE_EXTRA_CA_CERTS: started.caFile,
      DEMO_CA_FILE: started.caFile,
      BROWSER: `${process.execPath} ${BROWSER_SCRIPT}`,
    };
    const cli = async (args: string[]) => {
      const result = await runCli(args, { env: other });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result;
    };
    await cli(['login', 'demo']);
    // Run the very commands the demo printed (they follow its words, so the words stay right).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const commands = stderr
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('alicloud-signin profile add demo-'));
    expect(commands).toHaveLength(2);
    for (const command of commands) await cli(command.split(/\s+/).slice(1));
    const buckets = JSON.parse((await cli(['buckets', 'demo-cross', '--json'])).stdout) as {
      owner: { id: string };
      count: number;
    };
    expect(buckets).toMatchObject({ owner: { id: DEMO_SECOND_ACCOUNT_ID }, count: secondAccountBuckets().length });
    expect((JSON.parse((await cli(['buckets', 'demo', '--json'])).stdout) as { count: number }).count).toBe(7);

    demo.child.kill('SIGINT');
    expect((await demo).code).toBe(0);
  });
});
