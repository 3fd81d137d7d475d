import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditFile, rotatedFile } from '../../main/services/broker/index.js';
import { splitShellStyle } from '../../main/services/cli-config/split.js';
import { createFetch } from '../../main/services/net/http.js';
import { CLI_OUTFILE } from '../../scripts/build-cli.mjs';
import { runCli } from '../helpers/cli.js';
import { close, occupyConsecutivePorts } from '../helpers/ports.js';
import { HAS_KEYRING } from '../helpers/signin-fixture.js';
import { DemoSession, demoProfile } from '../helpers/demo-session.js';
import { blockingViolations, describeViolations } from './axe.js';
import { DesktopApp, ensureRendererBuilt, keychainEntry } from './driver.js';

// The hub's panes end to end: the BUILT renderer in Chromium over the desktop backend's handler
// table, the backend running the broker (as the app does), the demo site, the real keychain, the
// built CLI in child processes, and an aliyun CLI config.json in a temp folder (never ~/.aliyun).
// Each state is checked with axe-core and saved as a screenshot. Run inside scripts/with-keyring.sh.

const BUCKETS = 30;
const AUDIT_LINES = 10_000;
const ROW_BOUND = 60;
const figures: string[] = [];

describe.skipIf(!HAS_KEYRING)('the hub panes in Chromium, with the app as the broker', () => {
  let app: DesktopApp;
  let home: string;
  let cliFile: string;
  let port = 0;
  let demoId = '';
  const copied: string[] = [];
  const axe: string[] = [];

  /** The CLI's file as JSON. */
  const cliConfig = async () =>
    JSON.parse(await readFile(cliFile, 'utf8')) as { current?: string; profiles: Array<Record<string, unknown>> };
  const tab = (name: string) => app.page.getByRole('tab', { name, exact: true });
  /** Saves the state and checks it with axe-core (0 critical or serious). */
  const state = async (name: string) => {
    await app.screenshot(name);
    const found = await blockingViolations(app.page);
    axe.push(describeViolations(name, found));
    expect(found, describeViolations(name, found)).toEqual([]);
  };

  beforeAll(async () => {
    await ensureRendererBuilt();
    const { base, servers } = await occupyConsecutivePorts(1);
    await Promise.all(servers.map(close));
    port = base;
    home = await mkdtemp(join(tmpdir(), 'alicloud-signin-hub-home-'));
    cliFile = join(home, '.aliyun', 'config.json');
    await mkdir(join(home, '.aliyun'), { recursive: true });
    await writeFile(
      cliFile,
      `${JSON.stringify({ current: 'ak', profiles: [{ name: 'ak', mode: 'AK', access_key_id: 'LTAI5tExample', access_key_secret: 'ak-secret', region_id: 'cn-hangzhou' }] }, null, '\t')}\n`,
    );
    app = await DesktopApp.start({
      bucketCount: BUCKETS,
      signInTimeoutMs: 60_000,
      // The console's page in the data folder (so the test sees it go), the CLI's file in a temp home.
      env: {
        HOME: home,
        XDG_RUNTIME_DIR: '',
        ALICLOUD_SIGNIN_ALIYUN_CONFIG: cliFile,
        // The broker's port the way a person sets it for one run: what it serves on and what URLs name.
        ALICLOUD_SIGNIN_BROKER_PORT: String(port),
      },
      backend: {
        copyText: (text) => void copied.push(text),
        broker: { watchEveryMs: 60_000 },
        cli: { argv: [process.execPath, CLI_OUTFILE], configPath: cliFile },
      },
    });
  }, 120_000);

  afterEach(() => {
    expect(app?.problems ?? []).toEqual([]);
  });

  afterAll(async () => {
    await app?.close();
    if (home) await rm(home, { recursive: true, force: true });
    console.log(`hub e2e:\n  ${[...figures, ...axe].join('\n  ')}`);
  });

  it('signs in to a demo profile; the backend is the broker', async () => {
    await app.addDemoProfile();
    await app.waitForActive('demo');
    demoId = (await app.profile('demo')).id;
    await app.clickSignIn();
    await app.systemBrowser.nextSignIn();
    await app.systemBrowser.allow({ login: 'alice' });
    await app.waitForSheetClosed();
    await app.waitForBucketsLoaded(BUCKETS);
    await app.page.locator('.status-bar', { hasText: `Broker: running in this app (port ${port})` }).waitFor();
    expect(app.backend.broker?.status()).toMatchObject({ state: 'serving', port });
  });

  it('Broker: reached by the keyboard; on/off and Copy (into the clipboard, never onto the page), Show, Rotate', async () => {
    // The keyboard alone: the Buckets tab, the arrow to Broker, Tab to the switch.
    await tab('Buckets').focus();
    await app.page.keyboard.press('ArrowRight');
    await app.page.getByRole('tabpanel', { name: 'Broker' }).waitFor();
    const url = app.page.getByLabel('CredentialsURI');
    await expect.poll(() => url.inputValue()).toContain('Not made yet');
    await app.button('Copy CredentialsURI').click();
    await expect.poll(() => copied.length).toBe(1);
    const first = copied[0] ?? '';
    const secret = first.split('/').at(-1) ?? '';
    expect(first).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/v1/credentials/${demoId}/[A-Za-z0-9_-]{43}$`));
    await expect.poll(() => url.inputValue()).toMatch(/\/••••••••$/);
    expect(await app.page.content()).not.toContain(secret);
    await state('hub-01-broker');

    // The URL answers from another process's point of view (here: this test's fetch).
    const ask = async (uri: string) => (await fetch(uri)).status;
    expect(await ask(first)).toBe(200);
    const toggle = app.page.getByRole('switch', { name: /Hand out this profile’s credentials/ });
    await toggle.focus();
    await app.page.keyboard.press('Space');
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await expect.poll(() => ask(first)).toBe(403);
    await toggle.click();
    await expect.poll(() => ask(first)).toBe(200);

    await app.button('Show').click();
    await expect.poll(() => url.inputValue()).toBe(first);
    await app.button('Hide').click();
    await expect.poll(() => url.inputValue()).not.toContain(secret);

    await app.button('Rotate…').click();
    await app.dialog.getByRole('heading', { name: 'Rotate the CredentialsURI of demo?' }).waitFor();
    await app.button('Rotate', app.dialog).click();
    await app.page.getByText('Rotated: the old URL no longer works.').waitFor();
    expect(await ask(first)).toBe(403);
    await app.button('Copy CredentialsURI').click();
    await expect.poll(() => copied.length).toBe(2);
    expect(copied[1]).not.toBe(first);
    expect(await ask(copied[1] ?? '')).toBe(200);
  });

  it('aliyun CLI: the preview of the change, Link, the file as previewed, its command answered by the broker', async () => {
    await tab('aliyun CLI').click();
    await app.page.getByText('No aliyun CLI profile gets credentials from this profile yet.').waitFor();
    const name = app.page.getByLabel('aliyun CLI profile name');
    await name.fill('work');
    const preview = app.page.getByTestId('cli-preview');
    await preview.locator('[data-field="process_command"]').waitFor();
    const before = await readFile(cliFile, 'utf8');
    expect(
      await preview
        .locator('li')
        .evaluateAll((items) =>
          items.map((li) => `${li.getAttribute('data-action')} ${li.getAttribute('data-field')}`),
        ),
    ).toEqual(['add name', 'add mode', 'add process_command', 'add region_id']);
    await preview.getByText('A new aliyun CLI profile “work” is added.').waitFor();
    // A preview writes nothing.
    expect(await readFile(cliFile, 'utf8')).toBe(before);
    await state('hub-02-cli-preview');

    await app.button('Link').click();
    await app.page.getByTestId('cli-linked').waitFor();
    const work = (await cliConfig()).profiles.find((p) => p.name === 'work');
    expect(work).toMatchObject({ mode: 'External', region_id: 'cn-hangzhou' });
    expect(String(work?.process_command)).toContain(`${CLI_OUTFILE} credentials demo`);
    expect((await cliConfig()).profiles.find((p) => p.name === 'ak')).toMatchObject({
      mode: 'AK',
      access_key_secret: 'ak-secret',
    });
    await app.page.getByTestId('cli-links').getByText('“work” → External').waitFor();
    await app.page.getByTestId('cli-links').getByText('intact').waitFor();

    // What the aliyun CLI would run: the command from the file, answered by the app's broker.
    const [command, ...args] = splitShellStyle(String(work?.process_command)) ?? [];
    const started = performance.now();
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(command ?? 'false', args, { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}`))));
    });
    figures.push(
      `process_command from the linked file, through the app's broker: ${Math.round(performance.now() - started)} ms`,
    );
    expect(JSON.parse(output)).toMatchObject({ mode: 'StsToken', access_key_id: expect.any(String) });
    await app.page.locator('.hub-panel').evaluate((panel) => (panel.scrollTop = 0));
    await state('hub-03-cli-linked');
  });

  it('Import from the aliyun CLI: the token moves to the keychain, the CLI file keeps none', async () => {
    const site = app.demo();
    const session = await new DemoSession(demoProfile(site.provider), site.ca, createFetch({ ca: site.ca })).signIn(
      'alice',
    );
    const token = session.refreshToken ?? '';
    const config = await cliConfig();
    config.profiles.push({
      name: 'legacy',
      mode: 'OAuth',
      region_id: 'cn-shanghai',
      oauth_site_type: 'CN',
      oauth_refresh_token: token,
      oauth_access_token: 'stale-access',
      oauth_refresh_token_expire: 1893456000,
    });
    await writeFile(cliFile, JSON.stringify(config, null, '\t'));
    await app.button('Look again').click();
    const preview = app.page.getByTestId('import-preview');
    await preview.getByText('“legacy” becomes profile “legacy” (China site)').waitFor();
    await app.page.getByRole('combobox', { name: /Site and application/ }).selectOption({ label: 'like demo' });
    await preview.getByText('“legacy” becomes profile “legacy” (like demo)').waitFor();
    await preview.getByText('the CLI profile is linked to this app and its tokens are removed from the file').waitFor();
    await state('hub-04-import');

    await app.button('Import').click();
    await app.page.getByTestId('import-results').getByText('“legacy”: imported as “legacy”').waitFor();
    const legacy = (await cliConfig()).profiles.find((p) => p.name === 'legacy');
    expect(legacy).toMatchObject({ mode: 'External' });
    expect(legacy).not.toHaveProperty('oauth_refresh_token');
    expect(legacy).not.toHaveProperty('oauth_access_token');
    expect(await readFile(cliFile, 'utf8')).not.toContain(token);
    const imported = await app.profile('legacy');
    expect(await keychainEntry(imported.id)).toBeTruthy();
    // The window's list has the new profile (announced by the import).
    await app.profileItem('legacy').waitFor();
    await state('hub-05-imported');
  });

  it('Console: the browser gets a private page (file://), never the sign-in URL, and the page goes once read', async () => {
    const context = app.browser.contexts()[0];
    const logins: string[] = [];
    context?.on('request', (request) => {
      if (request.url().includes('Action=Login')) logins.push(request.url());
    });
    const opened = app.systemBrowser.opened.length;
    await app.button(/^Console/).click();
    await app.dialog.getByLabel('Destination (optional)').fill('https://oss.console.aliyun.com/');
    await app.button('Open console', app.dialog).click();
    await app.dialog.getByText(/Opened in your browser/).waitFor();
    await state('hub-06-console');
    const url = app.systemBrowser.opened[opened] ?? '';
    expect(url).toMatch(/^file:\/\/.+\/console\/console-[0-9a-f]{32}\.html$/);
    expect(url).not.toContain('SigninToken');
    // The page sent the browser on to the site's Login, with the destination asked for.
    await expect.poll(() => logins.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(decodeURIComponent(logins[0] ?? '')).toContain('Destination=https://oss.console.aliyun.com/');
    await expect
      .poll(async () => (await readdir(join(app.dataDir, 'console'))).filter((n) => n.endsWith('.html')), {
        timeout: 40_000,
      })
      .toEqual([]);
    await app.button('Close', app.dialog).click();
  }, 90_000);

  it('Audit: after the CLI asked the broker, its line is there; 10,000 lines keep at most 60 rows; filters', async () => {
    const cli = await runCli(['credentials', 'demo'], { env: { ALICLOUD_SIGNIN_HOME: app.dataDir } });
    expect(cli.code, cli.stderr).toBe(0);
    // Older lines, as a long-running broker leaves them (the rotated log is read first).
    const old = Array.from({ length: AUDIT_LINES }, (_, i) =>
      JSON.stringify({
        time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
        profile: i % 3 ? 'demo' : 'ci',
        mode: i % 2 ? 'External' : 'CredentialsURI',
        outcome: i % 7 ? 'ok' : 'refused',
        ...(i % 7 ? {} : { reason: 'wrong-secret' }),
        count: 1,
      }),
    );
    await writeFile(rotatedFile(auditFile(app.dataDir)), `${old.join('\n')}\n`);
    // The broker writes its lines every 250 ms: wait for the CLI's.
    await expect
      .poll(async () => (await readFile(auditFile(app.dataDir), 'utf8').catch(() => '')).includes('"External"'))
      .toBe(true);
    await tab('Audit log').click();
    await app.page.getByRole('heading', { name: 'Audit log (10,000)' }).waitFor();
    const rows = app.page.locator('[data-testid="audit-scroll"] [role="row"]');
    const first = rows.nth(1);
    await expect.poll(() => first.textContent()).toContain('demo');
    const top = (await rows.count()) - 1;
    expect(top).toBeLessThanOrEqual(ROW_BOUND);
    // Newest first: the CLI's External hand-out is near the top, today.
    expect(await app.page.locator('[data-testid="audit-scroll"]').textContent()).toMatch(/demoExternalHanded out/);
    await state('hub-07-audit');
    const scroller = app.page.getByTestId('audit-scroll');
    await scroller.evaluate((element) => (element.scrollTop = (element.scrollHeight - element.clientHeight) / 2));
    await expect.poll(async () => Number(await rows.nth(1).getAttribute('aria-rowindex'))).toBeGreaterThan(1000);
    const middle = (await rows.count()) - 1;
    expect(middle).toBeLessThanOrEqual(ROW_BOUND);
    figures.push(`audit view with ${AUDIT_LINES} lines: ${top} rows at the top, ${middle} mid-scroll`);

    await app.page.getByRole('combobox', { name: /Outcome/ }).selectOption({ label: 'Refused' });
    await app.page.getByRole('combobox', { name: /Profile/ }).selectOption({ label: 'ci' });
    await app.page.getByText(/^[\d,]+ of 10,000 entries$/).waitFor();
    for (const text of await rows.allTextContents())
      if (!text.startsWith('Time')) expect(text).toMatch(/ciCredentialsURI|ciExternal/);
    await app.page.getByRole('searchbox', { name: 'Filter the audit log' }).fill('no-such-reason');
    await app.page.getByText('No entry matches.').waitFor();
    await app.page.getByRole('searchbox', { name: 'Filter the audit log' }).fill('');
  });

  it('Expiry overview: every profile with its sign-in and STS expiry', async () => {
    await tab('Expiry overview').click();
    const table = app.page.getByRole('table', { name: 'Every profile, soonest expiry first' });
    await table.waitFor();
    const names = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-profile')));
    expect(names.sort()).toEqual(['demo', 'legacy']);
    // The broker in this app holds demo's STS credentials: their end is shown.
    const demo = table.locator('tr[data-profile="demo"] td').nth(2);
    await expect.poll(() => demo.textContent()).toMatch(/^in /);
    await state('hub-08-expiry');
  });

  it('in Chinese and in English, in the dark: each pane again', async () => {
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.page.locator('.top-bar button.language').click();
    await app.page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
    const panes: Array<[string, string, () => Promise<unknown>]> = [
      ['凭证代理', 'hub-09-zh-CN-dark-broker', () => app.page.getByLabel('CredentialsURI').waitFor()],
      ['aliyun CLI', 'hub-10-zh-CN-dark-cli', () => app.page.getByTestId('cli-preview').waitFor()],
      ['审计日志', 'hub-11-zh-CN-dark-audit', () => app.page.getByTestId('audit-scroll').waitFor()],
      ['过期一览', 'hub-12-zh-CN-dark-expiry', () => app.page.locator('.expiry-table').waitFor()],
    ];
    for (const [name, shot, ready] of panes) {
      await tab(name).click();
      await ready();
      await state(shot);
    }
    // English in the dark too: checked, not saved (README shows the Chinese ones).
    await app.page.locator('.top-bar button.language').click();
    await app.page.locator('html[lang="en"]').waitFor({ state: 'attached' });
    for (const [name, ready] of [
      ['Broker', () => app.page.getByLabel('CredentialsURI').waitFor()],
      ['aliyun CLI', () => app.page.getByTestId('cli-preview').waitFor()],
      ['Audit log', () => app.page.getByTestId('audit-scroll').waitFor()],
      ['Expiry overview', () => app.page.locator('.expiry-table').waitFor()],
    ] as const) {
      await tab(name).click();
      await ready();
      const found = await blockingViolations(app.page);
      axe.push(describeViolations(`en, dark: ${name}`, found));
      expect(found, describeViolations(`en, dark: ${name}`, found)).toEqual([]);
    }
    await app.page.emulateMedia({ colorScheme: 'light' });
  });

  it('removing a profile deletes every keychain entry it had: the refresh token and the broker secret', async () => {
    expect(await keychainEntry(demoId)).toBeTruthy();
    expect(await keychainEntry(`broker-uri:${demoId}`)).toBeTruthy();
    await app.switchTo('demo');
    await app.button('Remove', app.details).click();
    await app.button('Remove', app.dialog).click();
    await app.dialog.waitFor({ state: 'detached' });
    await app.profileItem('demo').waitFor({ state: 'detached' });
    expect(await keychainEntry(demoId)).toBeNull();
    expect(await keychainEntry(`broker-uri:${demoId}`)).toBeNull();
    // The URL it had is refused at once.
    expect((await fetch(copied[1] ?? '')).status).toBe(403);
  });
});
