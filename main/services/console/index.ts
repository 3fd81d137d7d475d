export { consoleSigninUrl } from './federation.js';
export { openThroughPrivatePage, privatePageDir, redirectPage } from './page.js';
