import { readFile } from 'node:fs/promises';
import { app, BrowserWindow, nativeTheme, protocol, session, type WebContents } from 'electron';
import { assetHeaders, RENDERER_ENTRY, RENDERER_SCHEME, resolveAsset, windowOptions } from '../ipc/security.js';

/** Must run before `ready`: the renderer's scheme gets a real, secure origin of its own. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer from `root` with the CSP header; anything else is a 404. */
export function serveRenderer(root: string): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const asset = resolveAsset(root, request.url);
    if (!asset) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(asset.file), { headers: assetHeaders(asset.mime) });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

/**
 * Session-wide hardening: every permission request and check is refused, and no web contents
 * may navigate, open windows or attach webviews.
 */
export function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}

function hardenContents(contents: WebContents): void {
  // The app is one page: no navigation, in any frame, is ever one of ours (links leave through nothing).
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export interface MainWindowOptions {
  preload: string;
  /** A dev server URL (electron-vite dev), else the built renderer on its own scheme. */
  devUrl: string | undefined;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  // Electronegativity reads only literal options: these come from windowOptions() (contextIsolation,
  // sandbox, disableBlinkFeatures: 'Auxclick' and the rest), asserted in test/main/ipc/security.test.ts.
  const window = new BrowserWindow(windowOptions(options.preload, nativeTheme.shouldUseDarkColors)); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devUrl ?? RENDERER_ENTRY);
  return window;
}
