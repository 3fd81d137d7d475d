/**
 * The desktop app's entry: the thin shell that wires tested services to Electron. Everything a
 * test wants to reach lives in main/ipc/ (handlers, security data, tray and notice models).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, clipboard, shell, type BrowserWindow } from 'electron';
import { createDesktopBackend } from '../ipc/backend.js';
import { deepLinksIn } from '../ipc/deep-links.js';
import { unwrap } from '../ipc/result.js';
import { shellLanguage } from '../ipc/shell-words.js';
import type { TrayAction } from '../ipc/tray-model.js';
import { APP_URL_SCHEME } from '../services/auth/signin.js';
import { APP_NAME, dataDir } from '../services/core/paths.js';
import { bindIpc } from './ipc.js';
import { createLoginItem, startedHidden } from './login-item.js';
import { startExpiryNotices } from './notify.js';
import { createTray } from './tray.js';
import { createMainWindow, hardenSessions, registerRendererScheme, serveRenderer } from './window.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(here, '../preload/index.cjs');
const RENDERER_ROOT = path.join(here, '../renderer');
const DEV_URL = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

// The CLI finds the same data folder: same app name, same override.
app.setName(APP_NAME);
app.setPath('userData', dataDir(process.env));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerRendererScheme();
  registerUrlScheme();
  // macOS delivers deep links here, possibly before `ready`.
  const early: string[] = [];
  let route: (url: string) => void = (url) => early.push(url);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    route(url);
  });
  app.whenReady().then(
    () => start(early, (next) => (route = next)),
    (error: unknown) =>
      console.error(`alicloud-signin: could not start (${error instanceof Error ? error.name : 'error'})`),
  );
}

function registerUrlScheme(): void {
  // From `electron .` the executable is Electron itself; it needs the app folder as an argument.
  // The scheme carries only sign-in answers: every link goes through parseRedirect and reaches a
  // sign-in only when it waits for one and the state matches (main/ipc/signins.ts, tested).
  const ok = process.defaultApp
    ? app.setAsDefaultProtocolClient(APP_URL_SCHEME, process.execPath, [path.resolve(process.argv[1] ?? '.')]) // eng-disable PROTOCOL_HANDLER_JS_CHECK
    : app.setAsDefaultProtocolClient(APP_URL_SCHEME); // eng-disable PROTOCOL_HANDLER_JS_CHECK
  if (!ok)
    console.error(`alicloud-signin: could not register the ${APP_URL_SCHEME}:// scheme; loopback sign-ins still work`);
}

async function start(early: string[], setRoute: (route: (url: string) => void) => void): Promise<void> {
  hardenSessions();
  serveRenderer(RENDERER_ROOT);
  const language = shellLanguage(app.getLocale());
  const backend = createDesktopBackend({
    // Only ever the authorization URL of a profile's own site: every caller goes through
    // guardedOpener (main/ipc/open-guard.ts, tested), which refuses any other URL.
    openBrowser: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK
    copyText: (text) => clipboard.writeText(text),
    info: { version: app.getVersion(), platform: process.platform },
    // The app is the broker while it runs (or uses the one `serve` runs), on the configured port.
    broker: {},
    loginItem: createLoginItem(),
  });

  let window: BrowserWindow | undefined;
  // Set once Quit was chosen: until then closing the window only hides it.
  let quitting = false;
  const windows = () => (window && !window.isDestroyed() ? [window] : []);
  const show = () => {
    if (!window || window.isDestroyed()) {
      // A new window shows itself once it has painted (no blank flash).
      const created = createMainWindow({ preload: PRELOAD, devUrl: DEV_URL });
      // The app and its broker stay in the tray (on macOS in the dock); with neither, closing
      // the last window quits (window-all-closed).
      created.on('close', (event) => {
        if (quitting || !(tray || process.platform === 'darwin')) return;
        event.preventDefault();
        created.hide();
      });
      window = created;
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  const deliver = (url: string) => {
    if (!backend.deliverDeepLink(url)) console.error('alicloud-signin: a link arrived that no sign-in was waiting for');
    show();
  };
  setRoute(deliver);
  early.splice(0).forEach(deliver);
  app.on('second-instance', (_event, argv) => {
    const links = deepLinksIn(argv);
    if (links.length === 0) show();
    links.forEach(deliver);
  });

  const unbind = bindIpc(backend, windows, DEV_URL);
  const act = (action: TrayAction) => void runTrayAction(action);
  const runTrayAction = async (action: TrayAction) => {
    try {
      if (action.kind === 'open') show();
      else if (action.kind === 'quit') app.quit();
      else if (action.kind === 'activate')
        unwrap(await backend.handlers['profiles:activate']({ id: action.profileId }));
      else if (action.kind === 'sign-out') unwrap(await backend.handlers['auth:sign-out']({ id: action.profileId }));
      else {
        // The window shows the sign-in sheet from the progress events.
        show();
        await backend.handlers['auth:sign-in']({ id: action.profileId });
      }
    } catch (error) {
      console.error(`alicloud-signin: the tray action failed (${error instanceof Error ? error.message : 'error'})`);
    }
  };
  const tray = createTray(backend, language, act);
  const stopNotices = startExpiryNotices(backend, language, show);

  app.on('window-all-closed', () => {
    // With a tray the app keeps running there; without one, closing the window quits.
    if (!tray) app.quit();
  });
  app.on('activate', show);
  let closing = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closing) return;
    closing = true;
    event.preventDefault();
    stopNotices();
    unbind();
    // The backend's close stops the broker too: its socket and endpoint file go before we exit.
    void backend.close().finally(() => app.quit());
  });
  // Ended from outside (a session logging out, `kill`): quit the same way, so the broker cleans up.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => app.quit());
  // Started at login: the tray only (where there is one to come back through).
  if (!(startedHidden() && (tray || process.platform === 'darwin'))) show();
}
