export {
  CONSOLE_HOME,
  consoleDestination,
  consoleSigninUrl,
  federationEndpoint,
  type ConsoleSigninOptions,
} from './federation.js';
