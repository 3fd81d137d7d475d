import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopBackend, type DesktopBackend } from '../../../main/ipc/backend.js';
import { unwrap } from '../../../main/ipc/result.js';
import type { BrokerHostStatus } from '../../../main/services/app/broker-host.js';
import { readAudit } from '../../../main/services/broker/audit-log.js';
import { auditFile, endpointFile } from '../../../main/services/broker/paths.js';
import type { BrokerStatusView } from '../../../shared/contract.js';
import { freePort, startBrokerFixture, type BrokerFixture } from '../../helpers/broker-fixture.js';
import { runCli, writeCaFile } from '../../helpers/cli.js';
import { completeLoginOverHttp } from '../../helpers/http-browser.js';
import { HAS_KEYRING } from '../../helpers/signin-fixture.js';

// The desktop backend as the broker (issue 10, item 2): the same broker as `serve`, answering
// Alibaba's SDK and the CLI in other processes; a second backend attaches instead of starting
// another; `serve` says one runs; a backend attached to the CLI's broker takes over when it ends;
// stopping removes the socket and the endpoint file. Real keychain, real child processes.

const run = promisify(execFile);
const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..', '..');

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stateOf(backend: DesktopBackend): BrokerHostStatus {
  return backend.broker!.status();
}

async function endpointPid(dataDir: string): Promise<number | undefined> {
  const text = await readFile(endpointFile(dataDir), 'utf8').catch(() => undefined);
  return text ? (JSON.parse(text) as { pid: number }).pid : undefined;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Alibaba's Node SDK in a process of its own, as a CredentialsURI client (explicitly: its default
 * chain would try the ECS metadata address before the URI).
 */
async function sdkCredentials(uri: string): Promise<{ accessKeyId: string; securityToken: string }> {
  const script =
    "const C=require('@alicloud/credentials').default;new C({type:'credentials_uri',credentialsURI:process.env.URI}).getCredential().then(c=>console.log(JSON.stringify(c)),e=>{console.error(e.message);process.exit(1)})";
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, URI: uri } });
  return JSON.parse(stdout) as { accessKeyId: string; securityToken: string };
}

describe.skipIf(!HAS_KEYRING)('the desktop backend is the broker', () => {
  let home: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let cliEnv: NodeJS.ProcessEnv;
  let port: number;
  let app: DesktopBackend;
  let profileId: string;
  const seen: BrokerStatusView[] = [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'alicloud-signin-app-broker-'));
    dataDir = join(home, 'data');
    port = await freePort();
    env = { ...process.env, ALICLOUD_SIGNIN_HOME: dataDir, ALICLOUD_SIGNIN_BROKER_PORT: String(port) };
    app = createDesktopBackend({
      dataDir,
      env,
      demo: { bucketCount: 3 },
      broker: { watchEveryMs: 200 },
      openBrowser: async (url) => {
        void completeLoginOverHttp(url, { ca: app.demo?.running()?.ca, login: 'alice' }).catch(() => undefined);
      },
    });
    app.events.subscribe('broker-changed', (view) => seen.push(view));
    const profile = unwrap(await app.handlers['profiles:add']({ name: 'demo', preset: 'demo' }));
    profileId = profile.id;
    expect(unwrap(await app.handlers['auth:sign-in']({ id: profileId })).status).toBe('signed-in');
    // Other processes never need the demo CA while the app's broker answers; the one place that
    // does (a `serve` that would exchange itself) gets it anyway, so a refusal is about the broker.
    cliEnv = {
      ALICLOUD_SIGNIN_HOME: dataDir,
      ALICLOUD_SIGNIN_BROKER_PORT: String(port),
      NODE_EXTRA_CA_CERTS: await writeCaFile(home, app.demo!.running()!.ca),
    };
  }, 120_000);

  afterAll(async () => {
    if (app) {
      await app.handlers['profiles:remove']({ id: profileId });
      await app.close();
    }
    await rm(home, { recursive: true, force: true });
  });

  it('starts the broker in this process: endpoint, socket, CredentialsURI port, and says so', async () => {
    const status = await app.broker!.start();
    expect(status).toMatchObject({ state: 'serving', pid: process.pid, port });
    expect(await endpointPid(dataDir)).toBe(process.pid);
    expect(unwrap(await app.handlers['broker:status']({}))).toMatchObject({ state: 'serving', port });
    expect(seen.at(-1)).toMatchObject({ state: 'serving', port });
    expect(await portAnswers(port)).toBe(true);
  });

  it('answers @alicloud/credentials and `alicloud-signin credentials` in other processes with the same held keys', async () => {
    const url = await runCli(['broker', 'url', 'demo'], { env: cliEnv });
    expect(url.code, url.stderr).toBe(0);
    const uri = url.stdout.trim();
    expect(uri).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/v1/credentials/${profileId}/[A-Za-z0-9_-]{43}$`));

    const sdk = await sdkCredentials(uri);
    expect(sdk.accessKeyId).toMatch(/^STS\./);
    expect(app.demo!.running()!.provider.sts.lookup(sdk.accessKeyId)?.securityToken).toBe(sdk.securityToken);

    const cli = await runCli(['credentials', 'demo'], { env: cliEnv });
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ mode: 'StsToken', access_key_id: sdk.accessKeyId });
    // Both were the broker's answers (not a CLI exchanging itself): its audit log says so.
    const audited = await until('the audit lines', async () => {
      const entries = await readAudit(auditFile(dataDir));
      const modes = entries.filter((e) => e.profile === 'demo' && e.outcome === 'ok').map((e) => e.mode);
      return modes.includes('CredentialsURI') && modes.includes('External') ? modes : undefined;
    });
    expect(audited).not.toContain('Local');
    // And the window's own listing uses the very same keys: one cache, one exchange.
    expect((await app.services.sts.credentials(profileId)).accessKeyId).toBe(sdk.accessKeyId);
    expect(unwrap(await app.handlers['buckets:list']({ id: profileId })).buckets).toHaveLength(3);
  });

  it('a second backend on the same data folder attaches to it instead of starting another, and asks it', async () => {
    const second = createDesktopBackend({
      dataDir,
      env,
      demo: false,
      broker: { watchEveryMs: 200 },
      openBrowser: async () => undefined,
    });
    try {
      expect(await second.broker!.start()).toMatchObject({
        state: 'attached',
        pid: process.pid,
        port,
        startedBy: 'this-app',
      });
      expect(unwrap(await second.handlers['broker:status']({}))).toMatchObject({
        state: 'attached',
        startedBy: 'this-app',
      });
      // Its credentials come from the broker: it has no demo CA, so it could not exchange itself.
      const held = await app.services.sts.credentials(profileId);
      expect((await second.services.sts.credentials(profileId)).accessKeyId).toBe(held.accessKeyId);
      expect(second.services.sts.validFor(profileId)).toBeGreaterThan(0);
      await until('the attached backend in the audit log', async () =>
        (await readAudit(auditFile(dataDir))).find((e) => e.mode === 'Local' && e.outcome === 'ok'),
      );
    } finally {
      await second.close();
    }
    // An attached backend that stops leaves the broker as it was.
    expect(await endpointPid(dataDir)).toBe(process.pid);
    expect(stateOf(app)).toMatchObject({ state: 'serving' });
  });

  it('`alicloud-signin serve` refuses to start a second broker and says which one runs', async () => {
    const serve = await runCli(['serve'], { env: cliEnv, timeoutMs: 30_000 });
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain('BROKER_UNAVAILABLE');
    expect(serve.stderr).toContain(`A broker already runs for this data folder (process ${process.pid}, port ${port})`);
    expect(await endpointPid(dataDir)).toBe(process.pid);
  });

  it('stops with the app: socket, endpoint file and port gone', async () => {
    const socket = (JSON.parse(await readFile(endpointFile(dataDir), 'utf8')) as { socket: string }).socket;
    expect((await lstat(socket)).isSocket()).toBe(true);
    await app.broker!.close();
    expect(stateOf(app)).toEqual({ state: 'stopped' });
    expect(await stat(endpointFile(dataDir)).catch(() => 'gone')).toBe('gone');
    expect(await lstat(socket).catch(() => 'gone')).toBe('gone');
    expect(await portAnswers(port)).toBe(false);
    const status = await runCli(['broker', 'status', '--json'], { env: cliEnv });
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false, pid: null });
  });
});

describe.skipIf(!HAS_KEYRING)('the desktop backend with the broker of `serve` running', () => {
  let fx: BrokerFixture;
  let app: DesktopBackend | undefined;
  beforeAll(async () => {
    fx = await startBrokerFixture();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await fx?.close();
  });

  it('attaches (pid N, started by the CLI), asks it, and takes over when it ends', async () => {
    const serve = await fx.serve();
    const views: BrokerStatusView[] = [];
    app = createDesktopBackend({
      dataDir: fx.dataDir,
      env: { ...process.env, ...fx.env },
      demo: false,
      broker: { watchEveryMs: 200 },
      openBrowser: async () => undefined,
    });
    app.events.subscribe('broker-changed', (view) => views.push(view));
    const attached = await app.broker!.start();
    expect(attached).toMatchObject({ state: 'attached', pid: serve.child.pid, port: fx.port, startedBy: 'cli' });
    expect(unwrap(await app.handlers['broker:status']({}))).toEqual(attached);

    // The window's credentials are the CLI broker's (the backend trusts no demo CA of its own).
    const id = await fx.id('demo');
    const fromApp = await app.services.sts.credentials(id);
    const fromCli = JSON.parse((await fx.ok(['credentials', 'demo', '--format', 'json'])).stdout) as {
      accessKeyId: string;
    };
    expect(fromApp.accessKeyId).toBe(fromCli.accessKeyId);
    expect(fx.sts.lookup(fromApp.accessKeyId)).toBeDefined();

    const stopped = await serve.stop();
    expect(stopped.stderr).toContain('Broker stopped');
    const serving = await until('the app to take over', () => {
      const status = app!.broker!.status();
      return status.state === 'serving' ? status : undefined;
    });
    expect(serving).toMatchObject({ pid: process.pid, port: fx.port });
    // (A look while `serve` was still closing may have seen its port taken for a moment.)
    expect(views[0]?.state).toBe('attached');
    expect(views.at(-1)?.state).toBe('serving');
    expect(await endpointPid(fx.dataDir)).toBe(process.pid);
    const status = JSON.parse((await fx.ok(['broker', 'status', '--json'])).stdout) as {
      running: boolean;
      pid: number;
    };
    expect(status).toMatchObject({ running: true, pid: process.pid });

    await app.close();
    expect(await stat(endpointFile(fx.dataDir)).catch(() => 'gone')).toBe('gone');
  });
});
