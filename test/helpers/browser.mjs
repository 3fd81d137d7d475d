#!/usr/bin/env node
// A stand-in for a web browser, for `BROWSER=test/helpers/browser.mjs`: the app under test opens
// `<this> <url>` and this signs in on the demo site over plain HTTPS, then exits.
//
// Environment:
//   DEMO_BROWSER_MODE  http (default): do the whole sign-in and follow the redirect back to the app;
//                      print: write the URL to the file named by DEMO_URL_FILE and stop;
//                      none: do nothing.
//   DEMO_CA_FILE       PEM file of the demo CA (otherwise the system's roots and NODE_EXTRA_CA_CERTS).
//   DEMO_LOGIN, DEMO_PASSWORD   credentials typed on the page (default alice / demo-password).
//   DEMO_DECISION      allow (default) or deny.
//   DEMO_URL_FILE      for print mode.
//   DEMO_BROWSER_PROXY an HTTP proxy for the sign-in site (the site tunnel), never for the callback.
// It prints no codes or tokens: only a one-line reason on failure (exit 1).
import { readFileSync, writeFileSync } from 'node:fs';
import { completeLoginOverHttp } from './http-browser.mjs';

async function main() {
  const url = process.argv[2];
  if (!url) {
    console.error('usage: browser.mjs <url>');
    return 2;
  }
  const env = process.env;
  const mode = env.DEMO_BROWSER_MODE || 'http';
  if (mode === 'none') return 0;
  if (mode === 'print') {
    if (!env.DEMO_URL_FILE) {
      console.error('browser.mjs: DEMO_URL_FILE is not set.');
      return 2;
    }
    writeFileSync(env.DEMO_URL_FILE, `${url}\n`, { mode: 0o600 });
    return 0;
  }
  if (mode !== 'http') {
    console.error(`browser.mjs: unknown DEMO_BROWSER_MODE "${mode}".`);
    return 2;
  }
  const decision = env.DEMO_DECISION || 'allow';
  if (decision !== 'allow' && decision !== 'deny') {
    console.error(`browser.mjs: DEMO_DECISION must be allow or deny, not "${decision}".`);
    return 2;
  }
  await completeLoginOverHttp(url, {
    ca: env.DEMO_CA_FILE ? readFileSync(env.DEMO_CA_FILE, 'utf8') : undefined,
    proxy: env.DEMO_BROWSER_PROXY || undefined,
    login: env.DEMO_LOGIN || undefined,
    password: env.DEMO_PASSWORD || undefined,
    decision,
    followCallback: true,
  });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // The message never holds the callback URL (that carries the code).
    console.error(`browser.mjs: ${error instanceof Error ? error.message : 'sign-in failed'}`);
    process.exitCode = 1;
  },
);
