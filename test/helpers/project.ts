/**
 * A private copy of the project for running `npm start` (scripts/start.mjs) as a person would,
 * without touching the shared checkout: its own electron package folder (where the installer
 * writes the binary), every other dependency linked from the real node_modules, and its own HOME
 * and TMPDIR. Plus the peers the tests need: a local download mirror and a stored-zip writer.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, stat, symlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What electron-vite builds the app from. */
const SOURCES = [
  'main',
  'preload',
  'renderer',
  'shared',
  'electron.vite.config.ts',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
  'tsconfig.scripts.json',
  // electron.vite.config.ts reads the schema rules' id from it.
  'scripts/checked-rules.mjs',
];

export interface Project {
  dir: string;
  home: string;
  tmp: string;
  electronDir: string;
}

export async function makeProject(options: { sources: boolean }): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), 'alicloud-signin-start-'));
  const modules = join(dir, 'node_modules');
  const electronDir = join(modules, 'electron');
  await mkdir(join(dir, 'scripts'));
  await cp(join(ROOT, 'scripts', 'start.mjs'), join(dir, 'scripts', 'start.mjs'));
  await cp(join(ROOT, 'package.json'), join(dir, 'package.json'));
  if (options.sources) for (const item of SOURCES) await cp(join(ROOT, item), join(dir, item), { recursive: true });
  await mkdir(electronDir, { recursive: true });
  for (const entry of await readdir(join(ROOT, 'node_modules'))) {
    if (entry !== 'electron') await symlink(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  // The electron package's files are copied (the installer writes dist/ and path.txt beside them).
  const real = join(ROOT, 'node_modules', 'electron');
  for (const entry of await readdir(real)) {
    const from = join(real, entry);
    if ((await stat(from)).isDirectory()) await symlink(from, join(electronDir, entry));
    else await cp(from, join(electronDir, entry));
  }
  const home = join(dir, 'home');
  const tmp = join(dir, 'tmp');
  await mkdir(home);
  await mkdir(tmp);
  return { dir, home, tmp, electronDir };
}

/** Only what a fresh shell has: no ELECTRON_* or npm settings from the test's own environment. */
export function cleanEnv(project: Project, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: project.home,
    TMPDIR: project.tmp,
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

export interface StartResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `npm start`, or `node scripts/start.mjs`, in the copy; killed after `timeoutMs`. */
export function runStart(
  project: Project,
  how: 'npm' | 'node',
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<StartResult> {
  const started = performance.now();
  const [command, args] = how === 'npm' ? ['npm', ['start']] : [process.execPath, ['scripts/start.mjs']];
  const child = spawn(command, args, { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/**
 * A stand-in for the Electron executable: prints what it was started with, and whether the
 * build it is meant to run was already there, as one JSON line.
 */
export const FAKE_ELECTRON = `#!/usr/bin/env node
const { existsSync } = require('node:fs');
console.log(JSON.stringify({
  fakeElectron: process.argv.slice(2),
  cwd: process.cwd(),
  built: existsSync('out/main/index.js') && existsSync('out/preload/index.cjs') && existsSync('out/renderer/index.html'),
  runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null,
}));
`;

/** The fake executable's report, found among the build's output lines. */
export function fakeReport(
  stdout: string,
): { fakeElectron: string[]; cwd: string; built: boolean; runAsNode: string | null } | undefined {
  const line = stdout.split('\n').find((text) => text.startsWith('{"fakeElectron"'));
  return line ? (JSON.parse(line) as ReturnType<typeof fakeReport>) : undefined;
}

/** A zip archive with stored (uncompressed) entries and Unix modes, as Electron's are. */
export function zipOf(files: ReadonlyArray<{ name: string; data: Buffer; mode: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name);
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(file.data.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix: the external attributes hold the mode
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(file.data.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | file.mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, file.data);
    centrals.push(central, name);
    offset += local.length + name.length + file.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export interface Mirror {
  /** For ELECTRON_MIRROR (ends with a slash; @electron/get appends v<version>/<file>). */
  url: string;
  /** Paths asked for, in order. */
  requested: string[];
  /** Resolves when the first connection the server saw has closed. */
  firstConnectionClosed: Promise<void>;
  close(): Promise<void>;
}

/** A download mirror on loopback answering with `answer` (which may also never answer). */
export async function startMirror(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<Mirror> {
  const requested: string[] = [];
  let closed: () => void = () => undefined;
  const firstConnectionClosed = new Promise<void>((resolve) => (closed = resolve));
  const server = createServer((request, response) => {
    requested.push(request.url ?? '');
    answer(request, response);
  });
  server.once('connection', (socket) => socket.once('close', () => closed()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requested,
    firstConnectionClosed,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
