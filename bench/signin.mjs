// The machine part of a sign-in round trip, in one run, against the same provider:
//   ours  signIn(): keychain check, loopback receiver, PKCE, code exchange, ID token checks,
//         refresh token into the real keychain, profile written atomically under its lock
//   bare  openid-client's own code flow: a loopback listener, PKCE, authorizationCodeGrant
// Both drive the same scripted "browser" (test/helpers/http-browser.mjs), so the difference is
// what this app adds. Then refresh latency (median, p99): ours (cross-process lock, keychain
// re-read and write, profile update) against a bare refreshTokenGrant.
// Run inside a Secret Service session: scripts/with-keyring.sh node bench/signin.mjs [rounds]
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as oidc from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { register } from 'tsx/esm/api';

register();
const { startDemoProvider } = await import('../main/demo/provider/index.ts');
const { createServices } = await import('../main/services/context.ts');
const { createFetch } = await import('../main/services/net/http.ts');
const { signIn } = await import('../main/services/auth/signin.ts');
const { signOut } = await import('../main/services/auth/signout.ts');
const { completeLoginOverHttp } = await import('../test/helpers/http-browser.mjs');

if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
  console.error('bench/signin.mjs needs a Secret Service: run it as scripts/with-keyring.sh node bench/signin.mjs');
  process.exit(2);
}
const rounds = Number(process.argv[2] ?? 15);
const provider = await startDemoProvider();
const home = await mkdtemp(join(tmpdir(), 'bench-signin-'));
const browse = (url) => void completeLoginOverHttp(url, { ca: provider.ca }).catch(() => undefined);
const services = createServices({
  dataDir: home,
  fetch: createFetch({ ca: provider.ca }),
  openBrowser: async (url) => browse(url),
});
const e = provider.endpoints;
const profile = await services.store.add({
  name: 'bench',
  site: 'custom',
  region: 'cn-hangzhou',
  client: { clientId: provider.clientId, redirect: { kind: 'loopback', ports: 0, callbackPath: '/cli/callback' } },
  endpoints: {
    issuer: e.issuer,
    authorization: e.authorization,
    token: e.token,
    revocation: e.revocation,
    exchange: e.exchange,
    jwks: e.jwks,
  },
});

const agent = new Agent({ connect: { ca: provider.ca } });
const bareConfig = new oidc.Configuration(
  { issuer: e.issuer, authorization_endpoint: e.authorization, token_endpoint: e.token, jwks_uri: e.jwks },
  provider.clientId,
  { token_endpoint_auth_method: 'none' },
  oidc.None(),
);
bareConfig[oidc.customFetch] = (url, init) => undiciFetch(url, { ...init, dispatcher: agent });

async function bareSignIn() {
  let answer;
  const got = new Promise((resolve) => (answer = resolve));
  const server = createServer((req, res) => {
    res.end('ok');
    answer(req.url);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${server.address().port}/cli/callback`;
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(bareConfig, {
    redirect_uri: redirectUri,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    access_type: 'offline',
  });
  browse(url.href);
  const path = await got;
  server.close();
  server.closeAllConnections();
  const tokens = await oidc.authorizationCodeGrant(bareConfig, new URL(path, redirectUri), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  return tokens.refresh_token;
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const time = async (fn) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

// Warm both paths (JIT, TLS sessions, JWKS cache), then interleave.
await signIn(services, 'bench');
let bareToken = await bareSignIn();
const ours = [];
const bare = [];
for (let i = 0; i < rounds; i++) {
  ours.push(await time(() => signIn(services, 'bench')));
  bare.push(await time(async () => void (bareToken = await bareSignIn())));
}

const refreshOurs = [];
const refreshBare = [];
for (let i = 0; i < rounds * 4; i++) {
  refreshOurs.push(await time(() => services.tokens.renewAccessToken(profile.id)));
  refreshBare.push(
    await time(async () => {
      const tokens = await oidc.refreshTokenGrant(bareConfig, bareToken);
      bareToken = tokens.refresh_token ?? bareToken;
    }),
  );
}
await signOut(services, 'bench');
await provider.close();
await rm(home, { recursive: true, force: true });

const ms = (v) => `${v.toFixed(1)} ms`;
const oursMed = quantile(ours, 0.5);
const bareMed = quantile(bare, 0.5);
console.log(`sign-in round trip (${rounds} rounds, same provider and scripted browser)`);
console.log(`  ours   median ${ms(oursMed)}  p90 ${ms(quantile(ours, 0.9))}`);
console.log(`  bare   median ${ms(bareMed)}  p90 ${ms(quantile(bare, 0.9))}`);
console.log(`  ratio  ${(oursMed / bareMed).toFixed(2)}x (goal <= 2x)`);
console.log(`refresh (${refreshOurs.length} each)`);
console.log(`  ours   median ${ms(quantile(refreshOurs, 0.5))}  p99 ${ms(quantile(refreshOurs, 0.99))}`);
console.log(`  bare   median ${ms(quantile(refreshBare, 0.5))}  p99 ${ms(quantile(refreshBare, 0.99))}`);
console.log(`  ratio  ${(quantile(refreshOurs, 0.5) / quantile(refreshBare, 0.5)).toFixed(2)}x at the median`);
