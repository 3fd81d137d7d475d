// The desktop window's two budgets, measured on the BUILT renderer (out/renderer):
//   size  gzip size of its JavaScript (goal <= 200 KB)
//   rows  rows in the DOM of the bucket table with 10,000 buckets, at the top and mid-scroll
//         (goal <= 60), in Debian's Chromium, with a stand-in bridge in place of the preload
// Usage: node bench/renderer-size.mjs [bucketCount]   (builds the app first when out/ is missing)
/* global window, document -- standInBridge and the row probe run in the page, not in Node */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'out', 'renderer');
const GOAL_KB = 200;
const ROW_GOAL = 60;
const count = Number(process.argv[2] ?? 10_000);

if (!existsSync(join(OUT, 'index.html'))) {
  const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('electron-vite build failed');
}

// ---- size
const assets = join(OUT, 'assets');
let raw = 0;
let gzip = 0;
for (const name of await readdir(assets)) {
  if (extname(name) !== '.js') continue;
  const bytes = await readFile(join(assets, name));
  raw += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(
  `renderer JS: ${kb(raw)} KB raw, ${kb(gzip)} KB gzip (goal <= ${GOAL_KB} KB: ${gzip <= GOAL_KB * 1024 ? 'met' : 'MISSED'})`,
);

// ---- rows, in Chromium
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
/** Answers one request: a file of the built page, else 404. */
async function serve(req, res) {
  const path =
    normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^[/\\]+/, '') || 'index.html';
  if (path === 'favicon.ico') return res.writeHead(204).end();
  const file = join(OUT, path);
  if (!file.startsWith(OUT + sep) || !TYPES[extname(file)]) return res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] }).end(await readFile(file));
}
// The server does not wait for its handler: every failure (an undecodable path, a missing file) ends as a 404 here.
const server = createServer((req, res) => {
  serve(req, res).catch(() => res.writeHead(404).end());
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

/** Runs in the page before the app: what the preload would expose, answering from memory. */
function standInBridge(total) {
  const profile = {
    id: 'bench-profile-01',
    name: 'bench',
    site: 'cn',
    demo: false,
    active: true,
    region: 'cn-hangzhou',
    ossEndpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
    ossEndpointCustom: false,
    clientId: '1',
    officialClient: true,
    redirect: 'loopback',
    authorizationEndpoint: 'https://signin.aliyun.com/oauth2/v1/auth',
    status: 'signed-in',
    identity: { sub: 's', aid: '1098765432109876', type: 'user', upn: 'bench@1098765432109876.onaliyun.com' },
  };
  const regions = ['cn-hangzhou', 'cn-shanghai', 'ap-southeast-1', 'us-west-1'];
  const buckets = Array.from({ length: total }, (_, i) => ({
    name: `bucket-${String(i).padStart(6, '0')}`,
    region: regions[i % regions.length],
    location: `oss-${regions[i % regions.length]}`,
    creationDate: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
    storageClass: ['Standard', 'IA', 'Archive'][i % 3],
    extranetEndpoint: '',
    intranetEndpoint: '',
  }));
  const ok = (value) => Promise.resolve({ ok: true, value });
  const snapshot = { activeProfileId: profile.id, profiles: [profile], clockOffsetMs: 0 };
  const none = () => () => undefined;
  window.alicloud = {
    listProfiles: () => ok(snapshot),
    addProfile: () => ok(profile),
    updateProfile: () => ok(profile),
    removeProfile: () => ok({ profile: null, revocation: 'revoked' }),
    activateProfile: () => ok(snapshot),
    signIn: () => ok(profile),
    cancelSignIn: () => ok({ cancelled: true }),
    openSignInPage: () => ok({ opened: false }),
    signOut: () => ok({ profile, revocation: 'revoked' }),
    listBuckets: () =>
      ok({ profileId: profile.id, endpoint: profile.ossEndpoint, owner: { id: '1', displayName: '' }, buckets }),
    copyText: () => ok({ copied: false }),
    appInfo: () => ok({ version: 'bench', platform: 'bench', demo: { logins: ['alice'], password: 'x' } }),
    // The status bar's: no broker, no login item (nothing drawn).
    brokerStatus: () => ok({ state: 'off' }),
    appSettings: () => ok({ startAtLogin: false, startAtLoginSupported: false }),
    setStartAtLogin: () => ok({ startAtLogin: false, startAtLoginSupported: false }),
    onBrokerChanged: none,
    onProfilesChanged: none,
    onSignInProgress: none,
    onBucketsProgress: none,
  };
}

const userData = await mkdtemp(join(tmpdir(), 'alicloud-signin-bench-'));
const context = await chromium.launchPersistentContext(userData, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await page.addInitScript(standInBridge, count);
  const started = performance.now();
  await page.goto(`${origin}/index.html`);
  const rows = page.locator('[data-testid="bucket-scroll"] [role="row"]');
  await rows.first().waitFor();
  const firstPaint = performance.now() - started;
  const atTop = await rows.count();
  await page.locator('[data-testid="bucket-scroll"]').evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="bucket-scroll"] [role="row"]')?.textContent?.includes('bucket-000000'),
  );
  const midScroll = await rows.count();
  const inDocument = await page.locator('[role="row"]').count();
  const heading = await page.locator('#buckets-heading').textContent();
  console.log(
    `bucket table with ${count.toLocaleString('en')} buckets (${heading}): ${atTop} rows in the DOM at the top, ${midScroll} mid-scroll, ` +
      `${inDocument} with the header (goal <= ${ROW_GOAL}: ${Math.max(atTop, midScroll) <= ROW_GOAL ? 'met' : 'MISSED'}); first rows after ${firstPaint.toFixed(0)} ms`,
  );
  if (problems.length > 0) console.log(`page problems: ${problems.join(' | ')}`);
  if (gzip > GOAL_KB * 1024 || Math.max(atTop, midScroll) > ROW_GOAL || problems.length > 0) process.exitCode = 1;
} finally {
  await context.close();
  await rm(userData, { recursive: true, force: true });
  server.close();
}
