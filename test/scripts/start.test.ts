import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanEnv,
  FAKE_ELECTRON,
  fakeReport,
  makeProject,
  runStart,
  startMirror,
  zipOf,
  type Mirror,
  type Project,
  type StartResult,
} from '../helpers/project.js';

// `npm start` run as a person runs it, in a private copy of the project (scripts/start.mjs, the
// real electron package and its real installer, the real electron-vite build), with a clean
// environment. The download fails here (no internet); the mirror tests make each way of failing,
// and a successful download, happen on any machine.

const { version: ELECTRON_VERSION } = JSON.parse(
  await readFile(new URL('../../node_modules/electron/package.json', import.meta.url), 'utf8'),
) as { version: string };
const ZIP_NAME = `electron-v${ELECTRON_VERSION}-${process.platform}-${process.arch}.zip`;
const ADVICE =
  /; connect to the internet and run npm start again, or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding Electron; the CLI works without it: npx alicloud-signin --help \(installer output: (\S+)\)$/;

const online = await lookup('github.com').then(
  () => true,
  () => false,
);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function project(sources = false): Promise<Project> {
  const made = await makeProject({ sources });
  cleanups.push(() => rm(made.dir, { recursive: true, force: true }));
  return made;
}

async function mirror(answer: Parameters<typeof startMirror>[0]): Promise<Mirror> {
  const started = await startMirror(answer);
  cleanups.push(() => started.close());
  return started;
}

/** Exactly one line on stderr, no stack trace; returns it. */
function oneLine(result: StartResult): string {
  expect(result.stderr.endsWith('\n')).toBe(true);
  const lines = result.stderr.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

/** The one line of a failed download: names `reason`, and the log it names holds the installer's output. */
async function expectDownloadFailure(result: StartResult, reason: string): Promise<string> {
  expect(result.code).toBe(1);
  const line = oneLine(result);
  expect(line.startsWith(`alicloud-signin: could not download Electron ${ELECTRON_VERSION} (${reason})`)).toBe(true);
  const log = ADVICE.exec(line)?.[1];
  expect(log, line).toBeDefined();
  expect((await stat(log!)).mode & 0o777).toBe(0o600);
  return readFile(log!, 'utf8');
}

describe('npm start where the Electron binary is missing', () => {
  it.skipIf(online)(
    'here, offline: one line naming the problem, exit 1, in seconds (skipped where github.com resolves)',
    async () => {
      const copy = await project();
      const result = await runStart(copy, 'npm', cleanEnv(copy));
      const log = await expectDownloadFailure(result, 'cannot reach the download server');
      expect(log).toMatch(/fetch failed/);
      expect(result.stdout).toContain(
        `alicloud-signin: downloading Electron ${ELECTRON_VERSION} with its own installer (once; at most 120 s)`,
      );
      expect(result.ms).toBeLessThan(30_000);
      await expect(stat(join(copy.electronDir, 'path.txt'))).rejects.toThrow();
    },
  );

  it.each([
    [
      'answers 404',
      'the download server answered 404 Not Found',
      (response: ServerResponse) => response.writeHead(404).end('no'),
    ],
    [
      "sends bytes that fail Electron's checksum",
      "the download did not match Electron's checksum",
      (response: ServerResponse) => response.end(Buffer.alloc(4096, 7)),
    ],
  ])('a mirror that %s: its reason in the one line', async (_what, reason, answer) => {
    const copy = await project();
    const site = await mirror((_request, response) => answer(response));
    const result = await runStart(copy, 'node', cleanEnv(copy, { ELECTRON_MIRROR: site.url }));
    await expectDownloadFailure(result, reason);
    expect(site.requested).toEqual([`/v${ELECTRON_VERSION}/${ZIP_NAME}`]);
  });

  it('a mirror that never answers: the installer is stopped at the bound, and says so', async () => {
    const copy = await project();
    const site = await mirror(() => undefined);
    const result = await runStart(
      copy,
      'node',
      cleanEnv(copy, { ELECTRON_MIRROR: site.url, ALICLOUD_SIGNIN_ELECTRON_DOWNLOAD_TIMEOUT: '2' }),
    );
    await expectDownloadFailure(result, 'no download within 2 s');
    expect(result.ms).toBeGreaterThan(2_000);
    expect(result.ms).toBeLessThan(15_000);
    // The killed installer's connection is gone, not left behind.
    await site.firstConnectionClosed;
  });

  it('a working mirror: the installer fetches the binary, then the app is built and launched with `.`', async () => {
    const copy = await project(true);
    const zip = zipOf([{ name: 'electron', data: Buffer.from(FAKE_ELECTRON), mode: 0o755 }]);
    const sums = `${createHash('sha256').update(zip).digest('hex')} *${ZIP_NAME}\n`;
    const site = await mirror((request, response) => {
      if (request.url === `/v${ELECTRON_VERSION}/${ZIP_NAME}`) response.end(zip);
      else if (request.url === `/v${ELECTRON_VERSION}/SHASUMS256.txt`) response.end(sums);
      else response.writeHead(404).end();
    });
    // Remote checksums: the package's own checksums.json knows only the real zip.
    const env = cleanEnv(copy, {
      ELECTRON_MIRROR: site.url,
      electron_use_remote_checksums: '1',
      ELECTRON_RUN_AS_NODE: '1',
    });
    const first = await runStart(copy, 'npm', env);
    expect(first.stderr).not.toMatch(/alicloud-signin:/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`downloading Electron ${ELECTRON_VERSION}`);
    expect(fakeReport(first.stdout)).toEqual({ fakeElectron: ['.'], cwd: copy.dir, built: true, runAsNode: null });
    expect(await readFile(join(copy.electronDir, 'path.txt'), 'utf8')).toBe('electron');

    // Found the second time: no second download.
    const again = await runStart(copy, 'node', env);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('downloading');
    expect(fakeReport(again.stdout)?.fakeElectron).toEqual(['.']);
    expect(site.requested.filter((path) => path.endsWith('.zip'))).toHaveLength(1);
  });
});

describe('npm start with ELECTRON_OVERRIDE_DIST_PATH', () => {
  async function fakeDist(copy: Project, withExecutable: boolean): Promise<string> {
    const dist = join(copy.tmp, 'electron-dist');
    await mkdir(dist);
    if (withExecutable) {
      // The copy's package.json says "type": "module"; the stand-in is CommonJS.
      await writeFile(join(dist, 'package.json'), '{ "type": "commonjs" }');
      await writeFile(join(dist, 'electron'), FAKE_ELECTRON);
      await chmod(join(dist, 'electron'), 0o755);
    }
    return dist;
  }

  it('builds with electron-vite, then runs that executable with `.` (no download)', async () => {
    const copy = await project(true);
    const dist = await fakeDist(copy, true);
    const result = await runStart(copy, 'npm', cleanEnv(copy, { ELECTRON_OVERRIDE_DIST_PATH: dist }));
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('downloading');
    expect(result.stdout).toMatch(/built in/);
    expect(fakeReport(result.stdout)).toEqual({ fakeElectron: ['.'], cwd: copy.dir, built: true, runAsNode: null });
  });

  it('names a folder without Electron in one line, and downloads nothing', async () => {
    const copy = await project();
    const dist = await fakeDist(copy, false);
    const result = await runStart(copy, 'node', cleanEnv(copy, { ELECTRON_OVERRIDE_DIST_PATH: dist }));
    expect(result.code).toBe(1);
    expect(oneLine(result)).toBe(
      `alicloud-signin: ELECTRON_OVERRIDE_DIST_PATH is set, but ${join(dist, 'electron')} does not exist; point it at a folder holding Electron ${ELECTRON_VERSION}, or unset it to download Electron`,
    );
    expect(result.stdout).toBe('');
  });
});
