/**
 * A typed driver for the desktop window in Chromium (after Signal's test-mock: one object per
 * actor, each with waitForX() helpers that wait on what a person would see, never on a clock).
 *
 *   DesktopApp     the window: the BUILT renderer over the e2e bridge, backed by the same
 *                  createDesktopBackend() the shell binds, the real keychain and the demo site.
 *   SystemBrowser  the person's own browser: a second Chromium page, in its own context, that the
 *                  backend's openBrowser hands the authorization URL to.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createDesktopBackend, type DesktopBackend, type DesktopBackendOptions } from '../../main/ipc/backend.js';
import type { DemoSite } from '../../main/ipc/demo-site.js';
import type { ProfilesSnapshot, ProfileView } from '../../shared/contract.js';
import { CHROMIUM_ARGS } from '../helpers/chromium.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { blockingViolations, describeViolations } from './axe.js';
import { pageScript, startE2eBridge, type E2eBridge } from '../helpers/e2e-bridge.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RENDERER_DIR = join(ROOT, 'out', 'renderer');
/** Every run writes its screenshots here (build output, not tracked). */
const RUN_SCREENSHOTS = join(ROOT, 'out', 'e2e', 'screenshots');
/** README's pictures: written too when UPDATE_SCREENSHOTS=1. */
const DOCS_SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/** What the built renderer is made from: newer than out/renderer means build again. */
const RENDERER_INPUTS = [
  'renderer',
  'preload',
  'main/services/core/errors.ts',
  'main/services/profiles/schema.ts',
  'main/ipc/security.ts',
  'electron.vite.config.ts',
  'package-lock.json',
];

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

/** Builds the app with electron-vite when out/renderer is missing or older than its sources. */
export async function ensureRendererBuilt(): Promise<{ built: boolean; ms: number }> {
  const started = performance.now();
  const built = (await stat(join(RENDERER_DIR, 'index.html')).catch(() => undefined))?.mtimeMs ?? 0;
  let newest = 0;
  for (const input of RENDERER_INPUTS) newest = Math.max(newest, await newestMtime(join(ROOT, input)));
  if (built > newest) return { built: false, ms: performance.now() - started };
  const output = await new Promise<{ code: number | null; text: string }>((done) => {
    const child = spawn('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('close', (code) => done({ code, text }));
  });
  if (output.code !== 0) throw new Error(`npx electron-vite build failed (${output.code}):\n${output.text}`);
  return { built: true, ms: performance.now() - started };
}

/**
 * The refresh token the Secret Service holds for a profile, read with libsecret's own tool; null
 * when there is none. A failure of the tool itself throws (with what it said) instead of passing
 * for "no entry".
 */
export function keychainEntry(account: string): Promise<string | null> {
  return new Promise((resolveEntry, reject) => {
    execFile(
      'secret-tool',
      ['lookup', '--', 'service', 'alicloud-signin', 'username', account],
      (error, stdout, stderr) => {
        if (!error) return resolveEntry(stdout.length > 0 ? stdout : null);
        if (error.code === 1 && stderr.trim() === '') return resolveEntry(null);
        reject(new Error(`secret-tool lookup failed (${String(error.code)}): ${stderr.trim()}`));
      },
    );
  });
}

/** The accounts the Secret Service holds for the app (for a failure's message). */
export function keychainAccounts(): Promise<string[]> {
  return new Promise((resolveAccounts) => {
    execFile('secret-tool', ['search', '--all', 'service', 'alicloud-signin'], (error, stdout, stderr) => {
      const found = [...`${stdout}\n${stderr}`.matchAll(/attribute\.username = (\S+)/g)].map((match) => match[1] ?? '');
      resolveAccounts(error && found.length === 0 ? [`(secret-tool search failed: ${stderr.trim()})`] : found);
    });
  });
}

/** Every file under `dir` as one string, to look for leaked secrets; files that vanish mid-walk
 * (another writer's atomic temp file) are skipped. */
export async function dirText(dir: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) text += await dirText(full);
    else text += await readFile(full, 'latin1').catch(() => '');
  }
  return text;
}

/** Waits for `check` to give a value, looking again every 50 ms (a condition, never a fixed sleep). */
async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

// ------------------------------------------------------------------------------ the system browser

export interface LoginChoice {
  login?: string;
  password?: string;
}

/**
 * The person's browser. `open` is the backend's openBrowser: like a real one it shows the page
 * and returns at once; the person (the test) then signs in, refuses, or walks away.
 */
export class SystemBrowser {
  readonly opened: string[] = [];
  /** Opens the test has taken up so far (nextSignIn). */
  #taken = 0;
  #page: Page | undefined;
  #navigation: Promise<unknown> = Promise.resolve();

  constructor(private readonly context: BrowserContext) {}

  readonly open = async (url: string): Promise<void> => {
    // A fresh window for each sign-in, with no session left from the last one (a private window).
    const previous = this.#page;
    await this.context.clearCookies();
    const page = await this.context.newPage();
    this.#page = page;
    this.#navigation = page.goto(url).catch(() => undefined);
    this.opened.push(url);
    await previous?.close();
  };

  get page(): Page {
    if (!this.#page) throw new Error('The system browser has not been asked to open anything.');
    return this.#page;
  }

  /** Waits for the app's next request to open a page, and for the demo site's form on it. */
  async nextSignIn(timeoutMs = 30_000): Promise<string> {
    const index = this.#taken;
    const url = await until('the app to open the browser', () => this.opened[index], timeoutMs);
    this.#taken = index + 1;
    await this.#navigation;
    await this.page.locator('#username').waitFor({ timeout: timeoutMs });
    return url;
  }

  /** Types the login and password and allows; resolves once the app's loopback page answered. */
  async allow(choice: LoginChoice = {}): Promise<void> {
    const page = this.page;
    await page.fill('#username', choice.login ?? 'alice');
    await page.fill('#password', choice.password ?? 'demo-password');
    await Promise.all([page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\//), page.click('button[value=allow]')]);
  }

  /** Clicks Deny; resolves once the refusal reached the app's loopback listener. */
  async deny(): Promise<void> {
    const page = this.page;
    await Promise.all([page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\//), page.click('button[value=deny]')]);
  }
}

// ------------------------------------------------------------------------------ the desktop window

export interface DesktopAppOptions {
  /** Buckets on the demo site's OSS server. */
  bucketCount: number;
  signInTimeoutMs: number;
  viewport?: { width: number; height: number };
  /** The browser's language, which the window starts in (default en-US). */
  locale?: 'en-US' | 'zh-CN';
  /** More for the backend (the hub's tests: a clipboard, a broker, the aliyun CLI's side). */
  backend?: Pick<DesktopBackendOptions, 'copyText' | 'broker' | 'cli'>;
  /** Added to the backend's environment. */
  env?: NodeJS.ProcessEnv;
}

export class DesktopApp {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    readonly systemBrowser: SystemBrowser,
    readonly backend: DesktopBackend,
    readonly bridge: E2eBridge,
    readonly dataDir: string,
    /** Messages the page logged as errors, and uncaught exceptions. */
    readonly problems: string[],
  ) {}

  /** Launches Chromium, the backend (real keychain) and the bridge, and opens the window. */
  static async start(options: DesktopAppOptions): Promise<DesktopApp> {
    const dataDir = await mkdtemp(join(tmpdir(), 'alicloud-signin-e2e-'));
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      // The person's browser trusts the demo CA the way a person does: by going past the warning.
      const systemBrowser = new SystemBrowser(
        await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 900, height: 720 } }),
      );
      const backend = createDesktopBackend({
        dataDir,
        env: { ...process.env, ALICLOUD_SIGNIN_HOME: dataDir, ...options.env },
        openBrowser: systemBrowser.open,
        // The console's private page goes to the same "system browser" (a file:// URL).
        openConsolePage: systemBrowser.open,
        ...options.backend,
        demo: { bucketCount: options.bucketCount },
        signInTimeoutMs: options.signInTimeoutMs,
        info: { version: 'e2e', platform: process.platform },
      });
      const bridge = await startE2eBridge({ rendererDir: RENDERER_DIR, backend });
      const context = await browser.newContext({
        viewport: options.viewport ?? { width: 1180, height: 740 },
        locale: options.locale ?? 'en-US',
        colorScheme: 'light',
        deviceScaleFactor: 1,
      });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      await page.addInitScript({ content: await pageScript() });
      const app = new DesktopApp(browser, page, systemBrowser, backend, bridge, dataDir, problems);
      await app.open();
      return app;
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  /** Loads the window and waits until its bridge listens for events. */
  async open(): Promise<void> {
    await this.page.goto(this.bridge.url);
    await until('the window to connect to the bridge', () => (this.bridge.clients() > 0 ? true : undefined), 30_000);
    await this.page.locator('.app').waitFor();
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.bridge.close();
    await this.backend.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** The demo site the backend started (after a demo profile was added). */
  demo(): DemoSite {
    const site = this.backend.demo?.running();
    if (!site) throw new Error('The demo site is not running.');
    return site;
  }

  /** The profiles as main sees them (through the same handler table). */
  async snapshot(): Promise<ProfilesSnapshot> {
    return this.backend.snapshot();
  }

  async profile(name: string): Promise<ProfileView> {
    const found = (await this.snapshot()).profiles.find((profile) => profile.name === name);
    if (!found) throw new Error(`No profile named ${name}.`);
    return found;
  }

  // -------------------------------------------------------------------- locators

  button(name: string | RegExp, scope: Page | Locator = this.page): Locator {
    return scope.getByRole('button', { name, exact: typeof name === 'string' });
  }
  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }
  get signInSheet(): Locator {
    return this.page.locator('.signin-sheet');
  }
  get details(): Locator {
    return this.page.locator('section.details');
  }
  get identity(): Locator {
    return this.page.getByTestId('identity');
  }
  get statusWord(): Locator {
    return this.page.locator('.status-line .mark-word');
  }
  /** The bucket rows (not the header row). */
  get bucketRows(): Locator {
    return this.page.locator('[data-testid="bucket-scroll"] .bucket-body [role="row"]');
  }
  get bucketScroller(): Locator {
    return this.page.getByTestId('bucket-scroll');
  }
  get bucketsFoot(): Locator {
    return this.page.locator('.buckets .pane-foot');
  }
  profileItem(name: string): Locator {
    return this.page
      .locator('.profile-list .profile-item')
      .filter({ has: this.page.locator('.profile-name', { hasText: new RegExp(`^${name}$`) }) });
  }

  // -------------------------------------------------------------------- waits

  async waitForFirstRun(): Promise<void> {
    await this.page.locator('.first-run').waitFor();
  }

  /** The details of the active profile carry this name. */
  async waitForActive(name: string): Promise<void> {
    await this.page.locator('#details-name', { hasText: new RegExp(`^${name}$`) }).waitFor();
    await this.profileItem(name).and(this.page.locator('[aria-current="true"]')).waitFor();
  }

  async waitForIdentity(text: RegExp): Promise<string> {
    const who = this.identity.filter({ hasText: text });
    await who.waitFor();
    return (await who.textContent()) ?? '';
  }

  async waitForStatus(word: 'Signed in' | 'Signed out' | 'Needs attention' | 'Expires soon'): Promise<void> {
    await this.statusWord.filter({ hasText: new RegExp(`^${word}$`) }).waitFor();
  }

  /** The sheet shows the sign-in URL and the countdown; returns the URL shown. */
  async waitForSignInWaiting(): Promise<string> {
    const url = this.signInSheet.locator('input.url');
    await url.waitFor();
    await this.signInSheet.getByRole('timer').waitFor();
    return url.inputValue();
  }

  /** The sheet shows the failure with this code (plain words, the code in small type). */
  async waitForSignInFailure(code: string, timeoutMs = 30_000): Promise<string> {
    const alert = this.signInSheet.locator(`[role="alert"][data-code="${code}"]`);
    await alert.waitFor({ timeout: timeoutMs });
    return (await alert.locator('.error-words').textContent()) ?? '';
  }

  async waitForSheetClosed(): Promise<void> {
    await this.signInSheet.waitFor({ state: 'detached' });
  }

  /** The whole list arrived: "All N buckets loaded." */
  async waitForBucketsLoaded(count: number, timeoutMs = 30_000): Promise<void> {
    const words = `All ${count.toLocaleString('en')} buckets loaded.`;
    await this.bucketsFoot.filter({ hasText: words }).waitFor({ timeout: timeoutMs });
    await this.bucketRows.first().waitFor();
  }

  async waitForBucketsIdle(): Promise<void> {
    await this.page
      .locator('.buckets .pane-message', { hasText: 'Sign in to see the buckets of this profile.' })
      .waitFor();
  }

  // -------------------------------------------------------------------- actions

  /** First run: "Try the demo", then Add profile with the demo preset. */
  async addDemoProfile(screenshot?: () => Promise<void>): Promise<void> {
    await this.button('Try the demo').click();
    await this.dialog.getByRole('radio', { name: /The demo site/ }).waitFor();
    await screenshot?.();
    await this.button('Add profile', this.dialog).click();
    await this.dialog.waitFor({ state: 'detached' });
  }

  /** "+ Add", "Your own OAuth application", endpoints under Advanced. */
  async addCustomProfile(
    name: string,
    site: Pick<DemoSite, 'endpoints' | 'ossEndpoint' | 'clientId'>,
    screenshot?: () => Promise<void>,
  ): Promise<void> {
    await this.button('Add a profile').click();
    const form = this.dialog;
    await form.getByRole('radio', { name: 'Your own OAuth application' }).check();
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Client ID (AppId)').fill(site.clientId);
    await form.locator('details.advanced > summary').click();
    await form.getByLabel('OSS endpoint').fill(site.ossEndpoint);
    const fields: Array<[string, string]> = [
      ['Issuer', site.endpoints.issuer],
      ['Authorization endpoint', site.endpoints.authorization],
      ['Token endpoint', site.endpoints.token],
      ['Revocation endpoint', site.endpoints.revocation ?? ''],
      ['Exchange endpoint (STS)', site.endpoints.exchange ?? ''],
      ['JWKS URI', site.endpoints.jwks],
    ];
    for (const [label, value] of fields) await form.getByLabel(label, { exact: true }).fill(value);
    await screenshot?.();
    await this.button('Add profile', form).click();
    await form.waitFor({ state: 'detached' });
  }

  async clickSignIn(): Promise<void> {
    await this.button(/^Sign in( again)?$/, this.details)
      .first()
      .click();
  }

  async signOut(): Promise<void> {
    await this.button('Sign out', this.details).click();
  }

  async closeSignInSheet(): Promise<void> {
    await this.button('Close', this.signInSheet).click();
    await this.waitForSheetClosed();
  }

  async switchTo(name: string): Promise<void> {
    await this.profileItem(name).click();
    await this.waitForActive(name);
  }

  async filterBuckets(query: string): Promise<void> {
    await this.page.locator('#bucket-filter').fill(query);
  }

  /** Scrolls the bucket table to `fraction` of its height and waits until the rows follow. */
  async scrollBuckets(fraction: number): Promise<{ scrollTop: number; firstRowIndex: number; rows: number }> {
    const scrollTop = await this.bucketScroller.evaluate((element, f) => {
      element.scrollTop = Math.round((element.scrollHeight - element.clientHeight) * f);
      return element.scrollTop;
    }, fraction);
    // The row at the top of the view (rows are 32 px; aria-rowindex counts the header as 1).
    const topRow = Math.floor(scrollTop / 32) + 2;
    await this.page.locator(`[data-testid="bucket-scroll"] [role="row"][aria-rowindex="${topRow}"]`).waitFor();
    const firstRowIndex = Number(await this.bucketRows.first().getAttribute('aria-rowindex'));
    return { scrollTop, firstRowIndex, rows: await this.bucketRows.count() };
  }

  async bucketRowCount(): Promise<number> {
    return this.bucketRows.count();
  }

  async bucketNames(): Promise<string[]> {
    return this.bucketRows.locator('.bucket-name').allTextContents();
  }

  /** The built CLI against this window's data folder (another process, as a person's terminal). */
  cli(args: string[]): Promise<CliResult> {
    return runCli(args, { env: { ALICLOUD_SIGNIN_HOME: this.dataDir } });
  }

  /** axe-core on the window as it is now: no critical or serious violation (each named by rule and target). */
  async expectAccessible(state: string): Promise<void> {
    const found = await blockingViolations(this.page);
    if (found.length > 0) throw new Error(describeViolations(state, found));
  }

  /**
   * Saves the window (or another page) as docs/screenshots/NAME.png's candidate. Every state of
   * the window the suite pictures is a state a person meets, so each is checked with axe-core too.
   */
  async screenshot(name: string, page: Page = this.page): Promise<void> {
    if (page === this.page) await this.expectAccessible(name);
    await mkdir(RUN_SCREENSHOTS, { recursive: true });
    const file = join(RUN_SCREENSHOTS, `${name}.png`);
    // The caret and the countdown's ticks are the only motion; hide the caret.
    await page.screenshot({ path: file, caret: 'hide', animations: 'disabled' });
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await mkdir(DOCS_SCREENSHOTS, { recursive: true });
      await copyFile(file, resolve(DOCS_SCREENSHOTS, `${name}.png`));
    }
  }
}
