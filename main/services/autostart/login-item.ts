import { AppError } from '../core/errors.js';

/**
 * "Start at login" as the backend sees it, whatever the OS does underneath: Electron's login-item
 * settings on macOS and Windows (main/shell/login-item.ts), an XDG autostart entry elsewhere
 * (xdg.ts). Off until a person turns it on.
 */
export interface LoginItem {
  /** false where there is no way to start at login (then get() is false and set() refuses). */
  readonly supported: boolean;
  get(): Promise<boolean>;
  set(on: boolean): Promise<void>;
}

/** For a backend with no login item (tests, the end-to-end bridge, an OS without one). */
export const NO_LOGIN_ITEM: LoginItem = {
  supported: false,
  get: async () => false,
  set: async () => {
    throw new AppError('INVALID_INPUT', 'Starting at login is not available here.');
  },
};

/** The argument the app is started with at login: start in the tray, no window. */
export const HIDDEN_ARG = '--hidden';
