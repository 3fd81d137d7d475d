/**
 * A cookie-jar HTTP "browser" for the demo site's sign-in page. The implementation is plain JS
 * (http-browser.mjs) so that browser.mjs, a `$BROWSER` stand-in run by node without a build, uses
 * the very same code.
 */
export { completeLoginOverHttp } from './http-browser.mjs';
export type { HttpLoginOptions } from './http-browser.mjs';
