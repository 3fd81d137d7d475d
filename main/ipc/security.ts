/**
 * The window's security settings as data and pure functions: the shell only passes them to
 * Electron, and the tests read them here.
 */
import path from 'node:path';

/** The renderer is served from a privileged scheme of its own, so it has a real origin. */
export const RENDERER_SCHEME = 'app';
const RENDERER_HOST = 'alicloud-signin';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_ENTRY = `${RENDERER_ORIGIN}/index.html`;

const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-src', "'none'"],
  ['worker-src', "'none'"],
  ['frame-ancestors', "'none'"],
];

/**
 * The Content-Security-Policy of the window: only its own files, no inline script, no eval, no
 * frames, no form posts. The `<meta>` form leaves out frame-ancestors, which only works as a header.
 */
export function contentSecurityPolicy(form: 'header' | 'meta' = 'header'): string {
  return CSP_DIRECTIVES.filter(([name]) => form === 'header' || name !== 'frame-ancestors')
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/**
 * The built page's HTML with the CSP `<meta>` right after the charset, before any script (the
 * build calls this; the dev server keeps Vite's inline preamble and gets the header only).
 */
export function withCspMeta(html: string): string {
  // Electronegativity rates script-src 'self' "maybe weak" (JSONP or uploads on the same origin);
  // here 'self' is app://alicloud-signin, which serves only this build. Both notes sit on the meta's line.
  const note =
    "<!-- eng-disable CSP_GLOBAL_CHECK --><!-- 'self' = app://alicloud-signin: only the built files, no JSONP, no uploads -->";
  const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy('meta')}" /> ${note}`;
  const anchor = /<meta charset="[^"]*"\s*\/?>/i.exec(html) ?? /<head>/i.exec(html);
  if (!anchor) throw new Error('index.html has no <head>');
  const at = anchor.index + anchor[0].length;
  return `${html.slice(0, at)}\n    ${meta}${html.slice(at)}`;
}

/** What the shell gives `new BrowserWindow()` (a subset of Electron's options, checked there). */
export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  show: boolean;
  autoHideMenuBar: boolean;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    experimentalFeatures: false;
    navigateOnDragDrop: false;
    spellcheck: false;
    safeDialogs: true;
    disableBlinkFeatures: 'Auxclick';
  };
}

export function windowOptions(preloadPath: string, dark = false): WindowOptions {
  return {
    width: 1100,
    height: 720,
    minWidth: 760,
    minHeight: 480,
    title: 'AliCloud Sign-in',
    show: false,
    autoHideMenuBar: true,
    backgroundColor: dark ? '#1b1d21' : '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // A middle click cannot open anything (window.open is denied anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/** Who sent an IPC message, as the shell reads it from the event. */
export interface SenderInfo {
  /** webContents id of the sender. */
  webContentsId: number;
  /** URL of the sending frame; undefined when the frame is gone. */
  frameUrl: string | undefined;
  /** Whether the sending frame is its window's main frame. */
  isMainFrame: boolean;
}

/**
 * True only for the main frame of one of our windows showing our own origin (VS Code and Fiddle
 * check the same). A frame on any other origin, an iframe, or a stray webContents is refused.
 */
export function isTrustedSender(
  sender: SenderInfo,
  windows: ReadonlySet<number>,
  origins: readonly string[] = [RENDERER_ORIGIN],
): boolean {
  if (!windows.has(sender.webContentsId) || !sender.isMainFrame || !sender.frameUrl) return false;
  const origin = originOf(sender.frameUrl);
  return origin !== undefined && origins.some((allowed) => originOf(allowed) === origin);
}

/**
 * Scheme and host (and port), compared as text: Node's URL gives custom schemes an opaque
 * origin ("null"), which would make every `app://` frame look alike.
 */
export function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (!url.host) return undefined;
    return `${url.protocol}//${url.host}`;
  } catch {
    return undefined;
  }
}

/** The file types the renderer is made of, and what each is served as (the e2e bridge serves the same). */
export const RENDERER_FILE_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Maps a request on the renderer scheme to a file under `root`, or undefined for anything that
 * is not ours, escapes the folder, or has a type we do not serve.
 */
export function resolveAsset(root: string, requestUrl: string): { file: string; mime: string } | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${RENDERER_SCHEME}:` || url.host !== RENDERER_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  if (file !== base && !file.startsWith(base + path.sep)) return undefined;
  const mime = RENDERER_FILE_TYPES[path.extname(file).toLowerCase()];
  return mime ? { file, mime } : undefined;
}

/** Headers of every file the renderer scheme serves. */
export function assetHeaders(mime: string): Record<string, string> {
  return {
    'Content-Type': mime,
    'Content-Security-Policy': contentSecurityPolicy('header'),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}
