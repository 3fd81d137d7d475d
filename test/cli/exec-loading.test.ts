import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_OUTFILE } from '../../scripts/build-cli.mjs';
import { startBrokerFixture, type BrokerFixture, type ServeHandle } from '../helpers/broker-fixture.js';
import { HAS_KEYRING } from '../helpers/signin-fixture.js';

// What each command loads (every module URL the process resolved): the launcher answers `exec`
// and `credentials` from a running broker and `__complete` from the profile file without the
// full CLI; the everyday commands load neither the keychain binding nor the demo site.

const LOG_LOADS = fileURLToPath(new URL('../helpers/log-loads.mjs', import.meta.url));

let fx: BrokerFixture;
let broker: ServeHandle;
let dir: string;
beforeAll(async () => {
  if (!HAS_KEYRING) return;
  fx = await startBrokerFixture();
  broker = await fx.serve();
  await fx.ok(['credentials', 'demo']);
  dir = await mkdtemp(join(tmpdir(), 'loads-'));
});
afterAll(async () => {
  await broker?.stop();
  await fx?.close();
});

let runs = 0;
/** Runs the built CLI and returns the URLs of the modules it loaded. */
async function loads(args: string[]): Promise<string[]> {
  const log = join(dir, `run-${(runs += 1)}.log`);
  const child = spawn(process.execPath, ['--import', LOG_LOADS, CLI_OUTFILE, ...args], {
    env: { ...process.env, ...fx.env, LOAD_LOG: log },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  expect(code, `${args.join(' ')}: ${stderr}`).toBe(0);
  return (await readFile(log, 'utf8')).split('\n').filter(Boolean);
}

const FULL_CLI = /\/out\/cli\/main\.mjs$/;

/** The loaded chunks that bundle zod (named by hash only: their source maps tell). */
async function zodChunks(urls: string[]): Promise<string[]> {
  const chunks = urls.filter((url) => url.startsWith('file:') && url.includes('/out/cli/'));
  const found: string[] = [];
  for (const url of chunks) {
    const map = JSON.parse(await readFile(`${fileURLToPath(url)}.map`, 'utf8')) as { sources: string[] };
    if (map.sources.some((source) => source.includes('node_modules/zod/'))) found.push(url);
  }
  return found;
}

const DEMO_SITE = /node_modules\/(oidc-provider|selfsigned)\//;
// The binding, or the chunk of the store that loads it (maybe in a helper process of its own).
const KEYCHAIN = /node_modules\/@napi-rs\/keyring\/|\/chunks\/keyring-store-/;

describe.skipIf(!HAS_KEYRING)('what a command loads', () => {
  it('exec with a broker: the launcher alone, no HTTP server without --server', async () => {
    const plain = await loads(['exec', 'demo', '--', 'true']);
    expect(plain.filter((url) => FULL_CLI.test(url))).toEqual([]);
    expect(plain).not.toContain('node:http');
    expect(plain.filter((url) => url.includes('/node_modules/'))).toEqual([]);

    const served = await loads(['exec', 'demo', '--server', '--', 'true']);
    expect(served.filter((url) => FULL_CLI.test(url))).toEqual([]);
    expect(served).toContain('node:http');
  });

  it('credentials with a broker and __complete: the launcher alone', async () => {
    for (const args of [
      ['credentials', 'demo'],
      ['__complete', '--', 'use', ''],
    ]) {
      const urls = await loads(args);
      expect(
        urls.filter((url) => FULL_CLI.test(url) || url.includes('/node_modules/')),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('--help, profile list and use: no keychain, no demo site, no zod; whoami: the keychain store, no zod', async () => {
    const help = await loads(['--help']);
    expect(help.filter((url) => url.includes('/node_modules/'))).toEqual([]);
    for (const args of [
      ['profile', 'list'],
      ['use', 'demo'],
    ]) {
      const urls = await loads(args);
      expect(urls.some((url) => FULL_CLI.test(url))).toBe(true);
      // The profile file was written (and so checked) by this build: reading it needs no schema.
      expect(await zodChunks(urls), args.join(' ')).toEqual([]);
      expect(
        urls.filter((url) => KEYCHAIN.test(url) || DEMO_SITE.test(url)),
        args.join(' '),
      ).toEqual([]);
    }
    // The check above can fail: adding a profile checks it with the schema, so zod loads.
    expect(await zodChunks(await loads(['profile', 'add', 'zod-control', '--site', 'cn']))).not.toEqual([]);
    // whoami asks the Secret Service whether the token is there (the store's chunk, no binding here).
    const whoami = await loads(['whoami', 'demo']);
    expect(whoami.some((url) => KEYCHAIN.test(url))).toBe(true);
    expect(whoami.filter((url) => DEMO_SITE.test(url) || url.includes('/node_modules/'))).toEqual([]);
    expect(await zodChunks(whoami)).toEqual([]);
  });
});
