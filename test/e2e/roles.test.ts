import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../main/demo/provider/users.js';
import { DEMO_SECOND_ACCOUNT_ID, secondAccountBuckets } from '../../main/demo/sts-server/index.js';
import type { ErrorCode } from '../../shared/contract.js';
import { runCli } from '../helpers/cli.js';
import { close, occupyConsecutivePorts } from '../helpers/ports.js';
import { ROLE_A, ROLE_B } from '../helpers/roles-fixture.js';
import { HAS_KEYRING, needsKeyring } from '../helpers/signin-fixture.js';
import { blockingViolations, describeViolations } from './axe.js';
import { DesktopApp, ensureRendererBuilt } from './driver.js';
import { countPointerEvents, hasFocus, tabTo } from './keys.js';

// Role profiles in the window (issue 11, "…and in the Chromium end-to-end run"): the BUILT renderer
// in Chromium over the desktop backend's handler table, the demo site the backend starts (sign-in,
// STS AssumeRole, OSS with a second account), the real keychain, the backend as the broker. A chain
// demo user → role A (account 1) → role B (account 2) is added with "Add role" and lists account
// 2's buckets; refusals say their code in words and store nothing; the Audit pane shows a CLI
// request through the app's broker without a click (issue 10, live updates).
// Run inside scripts/with-keyring.sh.

const BUCKETS = 12;
const figures: string[] = [];

interface RoleInput {
  name: string;
  arn: string;
  /** The source's label in the list: a name, or "NAME (role ROLE)". */
  source: string;
  duration?: string;
}

describe.skipIf(!HAS_KEYRING)(needsKeyring('role profiles in Chromium: a chain into the demo’s second account'), () => {
  let app: DesktopApp;
  const nav = () => app.page.locator('nav.profiles');
  const addRoleButton = () => app.button('Add role', nav());
  const tab = (name: string) => app.page.getByRole('tab', { name, exact: true });
  const profilesFile = async () =>
    JSON.parse(await readFile(join(app.dataDir, 'profiles.json'), 'utf8')) as {
      profiles: Array<{
        id: string;
        name: string;
        role?: { sourceProfileId: string; stsEndpoint?: string; durationSeconds: number };
      }>;
    };
  const names = async () => (await app.snapshot()).profiles.map((p) => p.name);

  /** Opens "Add role" with the mouse and fills it in; the caller submits. */
  async function fillRole(role: RoleInput): Promise<void> {
    await addRoleButton().click();
    const form = app.dialog;
    await form.getByRole('heading', { name: 'Add a role profile' }).waitFor();
    await form.getByLabel('Name', { exact: true }).fill(role.name);
    await form.getByLabel('Role ARN').fill(role.arn);
    await form.getByLabel('Assumed with the credentials of').selectOption({ label: role.source });
    if (role.duration) await form.getByLabel('Session duration (seconds)').fill(role.duration);
  }

  /** The window's words for each refusal (renderer/i18n/errors.ts), in part. */
  const WORDS: Partial<Record<ErrorCode, RegExp>> = {
    ROLE_CYCLE: /take their credentials from each other in a loop/,
    ROLE_NOT_ASSUMABLE: /^The role could not be assumed/,
    ROLE_DURATION_TOO_LONG: /^The session duration is longer than the role allows/,
  };

  /** Submits; main refuses with `code`: the words of that code in the form, the dialog still open. */
  async function expectRefused(code: ErrorCode): Promise<string> {
    await app.button('Add role', app.dialog).click();
    const alert = app.dialog.locator(`[role="alert"][data-code="${code}"]`);
    await alert.waitFor({ timeout: 30_000 });
    return (await alert.locator('.error-words').textContent()) ?? '';
  }

  beforeAll(async () => {
    await ensureRendererBuilt();
    const { base, servers } = await occupyConsecutivePorts(1);
    await Promise.all(servers.map(close));
    app = await DesktopApp.start({
      bucketCount: BUCKETS,
      signInTimeoutMs: 60_000,
      // The app is the broker, on a port of its own for this run (the CLI below asks it).
      env: { ALICLOUD_SIGNIN_BROKER_PORT: String(base) },
      backend: { broker: { watchEveryMs: 60_000 } },
    });
  }, 120_000);

  afterEach(() => {
    expect(app?.problems ?? []).toEqual([]);
  });

  afterAll(async () => {
    await app?.close();
    if (figures.length > 0) console.log(`roles e2e:\n  ${figures.join('\n  ')}`);
  });

  it('demo preset, signed in as the demo user (a RAM user of account 1)', async () => {
    await app.addDemoProfile();
    await app.waitForActive('demo');
    await app.clickSignIn();
    await app.systemBrowser.nextSignIn();
    await app.systemBrowser.allow({ login: 'alice' });
    await app.waitForSheetClosed();
    await app.waitForIdentity(/alice@1234567890123456\.onaliyun\.com/);
    await app.waitForBucketsLoaded(BUCKETS);
    // The demo site the window started serves AssumeRole too.
    expect(app.demo().stsEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('Add role with the keyboard alone: role A (account 1) from the demo user, checked against STS', async () => {
    const pointer = await countPointerEvents(app.page);
    await tabTo(app.page, addRoleButton());
    await app.page.keyboard.press('Enter');
    const form = app.dialog;
    await form.getByRole('heading', { name: 'Add a role profile' }).waitFor();
    // Focus starts in Name; the source is the active profile (demo), whose STS is the demo's.
    expect(await hasFocus(form.getByLabel('Name', { exact: true }))).toBe(true);
    await app.page.keyboard.press('ControlOrMeta+A');
    await app.page.keyboard.type('roleA');
    await tabTo(app.page, form.getByLabel('Role ARN'));
    await app.page.keyboard.type(ROLE_A);
    expect(await form.getByLabel('Assumed with the credentials of').inputValue()).toBe((await app.profile('demo')).id);
    await form.getByText('Empty: the demo site’s own STS on this computer.').waitFor();
    await app.screenshot('roles-01-add-role');
    const started = performance.now();
    await app.page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached' });
    await app.waitForActive('roleA');
    await app.details.getByText('Added roleA: STS issued credentials for the role.').waitFor();
    expect(await pointer()).toBe(0);
    figures.push(`Add role (AssumeRole checked, stored, shown): ${Math.round(performance.now() - started)} ms`);
    const stored = (await profilesFile()).profiles.find((p) => p.name === 'roleA');
    expect(stored?.role).toMatchObject({
      sourceProfileId: (await app.profile('demo')).id,
      stsEndpoint: app.demo().stsEndpoint,
      durationSeconds: 3600,
    });
  });

  it('role B (account 2) from role A; selected, it lists account 2’s buckets and shows its source, account and role', async () => {
    await fillRole({ name: 'roleB', arn: ROLE_B, source: 'roleA (role demo-reader)' });
    // A role source on a custom site: its STS endpoint is taken unless another is typed.
    await app.dialog.getByText('Empty: the one roleA uses.').waitFor();
    await app.button('Add role', app.dialog).click();
    await app.dialog.waitFor({ state: 'detached' });
    await app.waitForActive('roleB');

    await app.switchTo('demo');
    await app.waitForBucketsLoaded(BUCKETS);
    await app.switchTo('roleB');
    const expected = secondAccountBuckets()
      .map((b) => b.name)
      .sort();
    await app.waitForBucketsLoaded(expected.length);
    expect((await app.bucketNames()).sort()).toEqual(expected);
    expect(await app.identity.textContent()).toContain(
      `Role cross-account-admin in account ${DEMO_SECOND_ACCOUNT_ID}, assumed with the credentials of roleA`,
    );
    await app.details.getByText('Signs in through roleA').waitFor();
    await app.waitForStatus('Signed in');
    const roleB = await app.profile('roleB');
    expect(roleB.role).toEqual({
      arn: ROLE_B,
      accountId: DEMO_SECOND_ACCOUNT_ID,
      roleName: 'cross-account-admin',
      source: 'roleA',
    });
    await app.screenshot('roles-02-chain-buckets');
  });

  it('a cycle, an unknown role and an over-long duration: the code in words, nothing stored', async () => {
    const before = await names();
    const fileBefore = (await profilesFile()).profiles.map((p) => p.name);

    await fillRole({ name: 'roleA', arn: ROLE_A, source: 'roleA (role demo-reader)' });
    expect(await expectRefused('ROLE_CYCLE')).toMatch(WORDS.ROLE_CYCLE ?? /^$/);
    await app.page.keyboard.press('Escape');
    await app.dialog.waitFor({ state: 'detached' });

    await fillRole({ name: 'ghost', arn: `acs:ram::${DEMO_ACCOUNT_ID}:role/no-such-role`, source: 'demo' });
    expect(await expectRefused('ROLE_NOT_ASSUMABLE')).toMatch(WORDS.ROLE_NOT_ASSUMABLE ?? /^$/);
    await app.screenshot('roles-03-refused');
    await app.button('Cancel', app.dialog).click();

    // Above the role's own maximum (STS says so: demo-reader allows 2 h) ...
    await fillRole({ name: 'long', arn: ROLE_A, source: 'demo', duration: '10800' });
    expect(await expectRefused('ROLE_DURATION_TOO_LONG')).toMatch(WORDS.ROLE_DURATION_TOO_LONG ?? /^$/);
    await app.dialog.getByText(/10800 s/).waitFor();
    await app.button('Cancel', app.dialog).click();
    // ... and above the one hour of a chained session (said before STS is asked).
    await fillRole({ name: 'long', arn: ROLE_B, source: 'roleA (role demo-reader)', duration: '7200' });
    expect(await expectRefused('ROLE_DURATION_TOO_LONG')).toMatch(WORDS.ROLE_DURATION_TOO_LONG ?? /^$/);
    await app.dialog.getByText(/role chaining/).waitFor();
    await app.button('Cancel', app.dialog).click();

    expect(await names()).toEqual(before);
    expect((await profilesFile()).profiles.map((p) => p.name)).toEqual(fileBefore);
    expect(fileBefore).toEqual(['demo', 'roleA', 'roleB']);
  });

  it('the form reads in Chinese too, in the dark, with no critical or serious axe-core violation', async () => {
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.page.locator('.top-bar button.language').click();
    await app.page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
    await app.button('添加角色', nav()).click();
    await app.dialog.getByRole('heading', { name: '添加角色配置' }).waitFor();
    await app.dialog.locator('details.advanced > summary').click();
    const found = await blockingViolations(app.page);
    expect(found, describeViolations('zh-CN, dark: Add role', found)).toEqual([]);
    await app.page.keyboard.press('Escape');
    await app.dialog.waitFor({ state: 'detached' });
    await app.page.locator('.top-bar button.language').click();
    await app.page.locator('html[lang="en"]').waitFor({ state: 'attached' });
    await app.page.emulateMedia({ colorScheme: 'light' });
  });

  it('Audit: the CLI asks the app’s broker for role B; the open pane shows it within a second, no click', async () => {
    await tab('Audit log').click();
    await app.page
      .getByText('The broker has handed out nothing yet.')
      .or(app.page.getByTestId('audit-scroll'))
      .waitFor();
    const row = app.page.locator('[data-testid="audit-scroll"] [role="row"]', { hasText: /roleB/ });
    expect(await row.count()).toBe(0);
    // The page notes when the row appears (Playwright's own polling backs off to 500 ms, too coarse here).
    await app.page.evaluate(() => {
      type Row = { textContent: string | null };
      const page = globalThis as unknown as {
        __auditRowAt?: number;
        document: { body: unknown; querySelectorAll(selector: string): Iterable<Row> };
        MutationObserver: new (callback: () => void) => {
          observe(target: unknown, options: object): void;
          disconnect(): void;
        };
      };
      page.__auditRowAt = 0;
      const observer = new page.MutationObserver(() => {
        const rows = [...page.document.querySelectorAll('[data-testid="audit-scroll"] [role="row"]')];
        if (!rows.some((r) => r.textContent?.includes('roleB'))) return;
        page.__auditRowAt = Date.now();
        observer.disconnect();
      });
      observer.observe(page.document.body, { childList: true, subtree: true, characterData: true });
    });
    let announcedAt = 0;
    const stop = app.backend.events.subscribe('audit-changed', () => (announcedAt ||= Date.now()));
    const cli = await runCli(['credentials', 'roleB'], { env: { ALICLOUD_SIGNIN_HOME: app.dataDir } });
    const ended = Date.now();
    expect(cli.code, cli.stderr).toBe(0);
    await row.first().waitFor({ timeout: 10_000 });
    stop();
    const shownAt = await app.page.evaluate(
      () => (globalThis as unknown as { __auditRowAt?: number }).__auditRowAt ?? 0,
    );
    expect(shownAt, 'the page saw the row appear').toBeGreaterThan(0);
    const shownMs = shownAt - ended;
    figures.push(
      `CLI credentials roleB through the app's broker: audit-changed ${announcedAt - ended} ms, ` +
        `its row in the open Audit pane ${shownMs} ms after the command ended`,
    );
    expect(shownMs).toBeLessThan(1_000);
    expect(await row.first().textContent()).toMatch(/roleBExternalHanded out/);
    await app.screenshot('roles-04-audit-live');
    await tab('Buckets').click();
  });

  it('signing the source out marks its roles signed out', async () => {
    await app.switchTo('demo');
    await app.signOut();
    await app.waitForStatus('Signed out');
    for (const name of ['roleA', 'roleB']) await app.profileItem(name).locator('.mark-signed-out').waitFor();
    expect((await app.snapshot()).profiles.map((p) => [p.name, p.status])).toEqual([
      ['demo', 'signed-out'],
      ['roleA', 'signed-out'],
      ['roleB', 'signed-out'],
    ]);
    await app.switchTo('roleB');
    await app.waitForStatus('Signed out');
    await app.details.getByText('Signs in through roleA').waitFor();
    await app.screenshot('roles-05-source-signed-out');
  });
});
