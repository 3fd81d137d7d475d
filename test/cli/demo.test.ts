import { afterAll, describe, expect, it } from 'vitest';
import { freshHome, runCli } from '../helpers/cli.js';
import { BROWSER_SCRIPT, HAS_KEYRING } from '../helpers/signin-fixture.js';

const running: ReturnType<typeof runCli>[] = [];
afterAll(() => running.forEach((r) => r.child.kill('SIGKILL')));

describe.skipIf(!HAS_KEYRING)('alicloud-signin demo', () => {
  it('runs the offline demo site; a second terminal signs in and lists its buckets; Ctrl+C stops it', async () => {
    const { env } = await freshHome();
    const demo = runCli(['demo', '--buckets', '120'], { env, timeoutMs: 90_000 });
    running.push(demo);
    const caFile = await new Promise<string>((resolve) => {
      let seen = '';
      demo.child.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(seen);
        if (match && seen.includes('alicloud-signin buckets')) resolve(match[1] as string);
      });
    });
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
    expect(JSON.parse(buckets.stdout).count).toBe(120);
    demo.child.kill('SIGINT');
    const stopped = await demo;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/^DEMO:/);
    expect(stopped.stderr).toContain('Demo site stopped.');
  });
});
