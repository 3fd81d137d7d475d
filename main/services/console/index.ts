export {
  CONSOLE_HOME,
  consoleDestination,
  consoleSigninUrl,
  federationEndpoint,
  type ConsoleSigninOptions,
} from './federation.js';
export { openThroughPrivatePage, privatePageDir, redirectPage, type ConsolePageOptions } from './page.js';
