import { APP_URL_SCHEME } from '../services/auth/signin.js';

/** The app's own deep links among a second instance's arguments (Windows and Linux pass them so). */
export function deepLinksIn(argv: readonly string[]): string[] {
  const prefix = `${APP_URL_SCHEME}:`;
  return argv.filter((arg) => arg.length <= 16_384 && arg.toLowerCase().startsWith(prefix));
}
