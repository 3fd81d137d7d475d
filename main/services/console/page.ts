import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../core/errors.js';

/**
 * The console sign-in URL reaches the browser through a private page, never as an argument: every
 * local user can read a process's argv (/proc/PID/cmdline), and the URL signs in whoever opens it
 * first. The page is an HTML file, mode 0600 in a 0700 folder of the user's own, that sends the
 * browser on; the browser gets only the file's path, which nobody else can read.
 *
 * Not a one-shot page on 127.0.0.1: its URL would be on argv too, and although it could serve
 * once, another user who read it first would be the one served. A file shuts them out instead.
 */
export interface ConsolePageOptions {
  /** The one-time Login URL. */
  url: string;
  /** Where the folder goes when there is no XDG_RUNTIME_DIR. */
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Opens a URL (a file:// URL here) in the person's browser. */
  open: (url: string) => Promise<void>;
  /** Once the page was read, it is deleted this long after (default 3 s). */
  graceMs?: number;
  /** Deleted by then in any case (default 30 s: the sign-in token is dead after that). */
  maxLifeMs?: number;
  /** Stops waiting early (the page is deleted at once). */
  signal?: AbortSignal;
  /** Called once the browser was started, before the wait. */
  onOpened?: () => void;
}

const PAGE_NAME = /^console-[0-9a-f]{32}\.html$/;

/**
 * Writes the page, opens it, and deletes it once the browser has read it (its access time moved,
 * plus a grace for a browser that `xdg-open` starts after sniffing the file's type) or after
 * `maxLifeMs` at the latest. Resolves when the page is gone.
 */
export async function openThroughPrivatePage(options: ConsolePageOptions): Promise<void> {
  const maxLifeMs = options.maxLifeMs ?? 30_000;
  const dir = await privatePageDir(options.env ?? process.env, options.dataDir);
  await sweep(dir, maxLifeMs);
  const file = path.join(dir, `console-${randomBytes(16).toString('hex')}.html`);
  // O_EXCL: never through a link or into a file someone else made first.
  const handle = await open(file, 'wx', 0o600);
  // A process ending some other way (an error, process.exit) still takes the page with it.
  const onExit = () => rmSync(file, { force: true });
  process.once('exit', onExit);
  try {
    try {
      await handle.writeFile(redirectPage(options.url), 'utf8');
    } finally {
      await handle.close();
    }
    const written = (await stat(file)).atimeMs;
    try {
      await options.open(pathToFileURL(file).href);
    } catch (error) {
      throw new AppError(
        'INTERNAL',
        'Could not start a browser ($BROWSER or the system opener). Run again with --print and open the link yourself.',
        { cause: error },
      );
    }
    options.onOpened?.();
    await waitUntilRead(file, written, options.graceMs ?? 3000, maxLifeMs, options.signal);
  } finally {
    await rm(file, { force: true });
    process.off('exit', onExit);
  }
}

/** The page: a meta refresh and location.replace (either works alone), no referrer, no other content. */
export function redirectPage(url: string): string {
  const attr = url.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const js = JSON.stringify(url).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${attr}">`,
    '<title>Alibaba Cloud console</title></head>',
    `<body><p>Opening the Alibaba Cloud console… <a href="${attr}" rel="noreferrer">Continue</a></p>`,
    `<script>location.replace(${js})</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * `$XDG_RUNTIME_DIR/alicloud-signin-console` (a per-user tmpfs) when that is a private folder of
 * ours, else `console` in the data dir. Created 0700; an existing one must be a real folder owned
 * by this user, and is made 0700 again if it is not.
 */
export async function privatePageDir(env: NodeJS.ProcessEnv, dataDir: string): Promise<string> {
  const runtime = env.XDG_RUNTIME_DIR;
  const base = runtime && path.isAbsolute(runtime) && (await isPrivateDir(runtime)) ? runtime : undefined;
  const dir = base ? path.join(base, 'alicloud-signin-console') : path.join(dataDir, 'console');
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AppError(
      'STORE_IO',
      `Could not create the folder ${dir} for the console page. Check that it is writable.`,
      {
        cause: error,
      },
    );
  }
  if (process.platform === 'win32') return dir; // per-user profile folders; ACLs, not modes
  const info = await lstat(dir);
  if (!info.isDirectory() || info.uid !== process.getuid?.()) {
    throw new AppError(
      'STORE_IO',
      `${dir} is not a folder of your own (a link, or another user's), so the console page is not written there. Remove it and try again.`,
    );
  }
  if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700);
  return dir;
}

async function isPrivateDir(dir: string): Promise<boolean> {
  if (process.platform === 'win32') return false;
  try {
    const info = await stat(dir);
    return info.isDirectory() && info.uid === process.getuid?.() && (info.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** Pages an earlier run left behind (it was killed before it could delete them). */
async function sweep(dir: string, maxLifeMs: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => PAGE_NAME.test(n))) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > maxLifeMs) await rm(file, { force: true });
  }
}

async function waitUntilRead(
  file: string,
  written: number,
  graceMs: number,
  maxLifeMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + maxLifeMs;
  let readAt: number | undefined;
  while (!signal?.aborted && Date.now() < deadline) {
    if (readAt === undefined) {
      const info = await stat(file).catch(() => undefined);
      if (!info) return; // deleted by someone: nothing left to do
      if (info.atimeMs > written) readAt = Date.now();
    }
    if (readAt !== undefined && Date.now() - readAt >= graceMs) return;
    await pause(100, signal);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
