import path from 'node:path';
import { app } from 'electron';
import { HIDDEN_ARG, NO_LOGIN_ITEM, type LoginItem } from '../services/autostart/login-item.js';
import { xdgLoginItem } from '../services/autostart/xdg.js';

/**
 * The command that starts this app again: a packaged build's executable (for an AppImage the
 * image itself, as its mount point changes every run), or from `electron .` Electron with the app
 * folder, as registerUrlScheme does.
 */
function launchCommand(): string[] {
  const executable = process.env.APPIMAGE || process.execPath;
  return process.defaultApp ? [executable, path.resolve(process.argv[1] ?? '.')] : [executable];
}

/**
 * "Start at login": Electron's login-item settings on macOS and Windows (on Windows with the
 * `--hidden` argument, which both calls must name for the entry to match), the XDG autostart
 * entry on Linux and the BSDs. Nothing is registered until a person turns it on.
 */
export function createLoginItem(): LoginItem {
  const [executable = process.execPath, ...rest] = launchCommand();
  if (process.platform === 'darwin') {
    return {
      supported: true,
      get: async () => app.getLoginItemSettings().openAtLogin,
      set: async (on) => app.setLoginItemSettings({ openAtLogin: on }),
    };
  }
  if (process.platform === 'win32') {
    // Windows keeps the command line as one string: a path argument goes in quotes.
    const options = { path: executable, args: [...rest.map((arg) => `"${arg}"`), HIDDEN_ARG] };
    return {
      supported: true,
      get: async () => app.getLoginItemSettings(options).openAtLogin,
      set: async (on) => app.setLoginItemSettings({ openAtLogin: on, ...options }),
    };
  }
  if (process.platform === 'linux' || process.platform === 'freebsd' || process.platform === 'openbsd') {
    return xdgLoginItem({
      argv: [executable, ...rest, HIDDEN_ARG],
      name: 'AliCloud Sign-in',
      comment: 'Keeps your Alibaba Cloud sign-ins and the credential broker running',
    });
  }
  return NO_LOGIN_ITEM;
}

/** A start at login stays in the tray: `--hidden` (Linux, Windows), or macOS's own flag. */
export function startedHidden(): boolean {
  if (process.argv.includes(HIDDEN_ARG)) return true;
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}
