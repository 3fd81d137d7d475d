// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../shared/contract';
import { signedIn } from './fake-api';
import { HubFake, SECRET } from './hub-fake';
import { renderApp } from './render';

// The hub's panes in the window, each state, against the fake app: what each shows, what it asks
// main for, and that the secret of a CredentialsURI is on screen only after Show.

afterEach(cleanup);

function hub(): HubFake {
  const app = new HubFake();
  app.profiles = [signedIn({ id: 'p1', name: 'prod' }), signedIn({ id: 'p2', name: 'staging' })];
  app.activeProfileId = 'p1';
  return app;
}

async function openTab(name: RegExp) {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('tab', { name }));
  return user;
}

describe('the tabs under the active profile', () => {
  it('start on the buckets; the arrow keys, Home and End move between tabs and show each', async () => {
    const user = userEvent.setup();
    renderApp(hub());
    const buckets = await screen.findByRole('tab', { name: 'Buckets' });
    expect(buckets.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel', { name: 'Buckets' })).toBeTruthy();
    // One tab stop: the chosen tab.
    expect(screen.getAllByRole('tab').filter((tab) => tab.tabIndex === 0)).toEqual([buckets]);
    buckets.focus();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Broker' }));
    expect(await screen.findByRole('tabpanel', { name: 'Broker' })).toBeTruthy();
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Expiry overview' }));
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(buckets);
    await user.keyboard('{ArrowLeft}{Home}');
    expect(screen.getByRole('tabpanel', { name: 'Buckets' })).toBeTruthy();
  });
});

describe('the broker pane', () => {
  it('shows the URL masked; Show reveals it, Hide hides it; Copy copies in main without showing it', async () => {
    const app = hub();
    app.brokerViews.set('p1', {
      profileId: 'p1',
      enabled: true,
      maskedUrl: 'http://127.0.0.1:7878/v1/credentials/p1/••••••••',
      lastServed: null,
      servedToday: 0,
      lastProblem: null,
    });
    renderApp(app);
    const user = await openTab(/^Broker$/);
    const field = (await screen.findByLabelText('CredentialsURI')) as HTMLInputElement;
    expect(field.value).toBe('http://127.0.0.1:7878/v1/credentials/p1/••••••••');
    await user.click(screen.getByRole('button', { name: 'Copy CredentialsURI' }));
    expect(app.callsTo('broker:copy-url')).toEqual([{ id: 'p1' }]);
    expect(await screen.findByRole('button', { name: 'Copied CredentialsURI' })).toBeTruthy();
    expect(document.body.innerHTML).not.toContain(SECRET);
    await user.click(screen.getByRole('button', { name: 'Show' }));
    await waitFor(() => expect(field.value).toContain(SECRET));
    await user.click(screen.getByRole('button', { name: 'Hide' }));
    await waitFor(() => expect(field.value).not.toContain(SECRET));
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('switches the profile off and on for the broker', async () => {
    const app = hub();
    renderApp(app);
    const user = await openTab(/^Broker$/);
    const toggle = (await screen.findByRole('switch', {
      name: /Hand out this profile’s credentials/,
    })) as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    await user.click(toggle);
    await waitFor(() => expect(toggle.checked).toBe(false));
    await user.click(toggle);
    await waitFor(() => expect(toggle.checked).toBe(true));
    expect(app.callsTo('broker:switch')).toEqual([
      { id: 'p1', on: false },
      { id: 'p1', on: true },
    ]);
  });

  it('rotates only after the confirmation; Keep it (or Esc) rotates nothing', async () => {
    const app = hub();
    renderApp(app);
    const user = await openTab(/^Broker$/);
    await user.click(await screen.findByRole('button', { name: 'Rotate…' }));
    const dialog = screen.getByRole('dialog', { name: 'Rotate the CredentialsURI of prod?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep it' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(app.callsTo('broker:rotate')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Rotate…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Rotate' }));
    expect(
      await screen.findByText(/Rotated: the old URL no longer works\. Updated aliyun CLI profile\(s\): prod\./),
    ).toBeTruthy();
    expect(app.callsTo('broker:rotate')).toEqual([{ id: 'p1' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says when the profile was last handed out, how often today, and a newer refusal', async () => {
    const app = hub();
    const served: AuditEntryView = {
      time: '2026-03-02T09:00:00.000Z',
      profile: 'prod',
      mode: 'External',
      outcome: 'ok',
      count: 1,
    };
    app.brokerViews.set('p1', {
      profileId: 'p1',
      enabled: true,
      maskedUrl: null,
      lastServed: served,
      servedToday: 3,
      lastProblem: { ...served, time: '2026-03-02T09:05:00.000Z', outcome: 'refused', reason: 'wrong-secret' },
    });
    renderApp(app);
    await openTab(/^Broker$/);
    const line = await screen.findByTestId('broker-last-use');
    expect(line.textContent).toMatch(/^Last handed out .+ to a client in External mode · today: 3$/);
    expect(screen.getByText(/Last refused .+ \(wrong-secret\)/)).toBeTruthy();
    expect((screen.getByLabelText('CredentialsURI') as HTMLInputElement).value).toBe(
      'Not made yet: Show or Copy makes it.',
    );
  });

  it('a failure is said in words with its code', async () => {
    const app = hub();
    app.failNext['broker:profile'] = { code: 'KEYCHAIN_LOCKED', message: 'The keychain is locked.' };
    renderApp(app);
    await openTab(/^Broker$/);
    expect((await screen.findByRole('alert')).getAttribute('data-code')).toBe('KEYCHAIN_LOCKED');
  });
});

describe('the aliyun CLI pane', () => {
  it('lists the CLI profiles linked to this profile, with the problems in words, and Fix repairs them', async () => {
    const app = hub();
    app.cli = {
      configPath: '/home/ana/.aliyun/config.json',
      links: [
        {
          name: 'prod',
          linkedTo: 'prod',
          linkedToId: 'p1',
          kind: 'external',
          mode: 'External',
          intact: false,
          problems: ['written-back-keys'],
        },
        {
          name: 'other',
          linkedTo: 'staging',
          linkedToId: 'p2',
          kind: 'uri',
          mode: 'CredentialsURI',
          intact: false,
          problems: ['credentials-uri-stale'],
        },
      ],
    };
    renderApp(app);
    const user = await openTab(/^aliyun CLI$/);
    const list = await screen.findByTestId('cli-links');
    expect(list.textContent).toContain('“prod” → External · needs repair');
    expect(list.textContent).toContain('an SDK wrote STS keys back into it in plaintext');
    // Another profile's link is that profile's business.
    expect(list.textContent).not.toContain('other');
    await user.click(screen.getByRole('button', { name: 'Fix' }));
    expect(await screen.findByText('Repaired: prod, other.')).toBeTruthy();
    expect(screen.getByTestId('cli-links').textContent).toContain('intact');
    expect(app.callsTo('cli:fix')).toEqual([{}]);
  });

  it('previews the change for the mode and name chosen, then links', async () => {
    const app = hub();
    renderApp(app);
    const user = await openTab(/^aliyun CLI$/);
    expect(await screen.findByText('No aliyun CLI profile gets credentials from this profile yet.')).toBeTruthy();
    const preview = await screen.findByTestId('cli-preview');
    expect(within(preview).getByRole('list', { name: 'Changes to the aliyun CLI’s file' }).textContent).toContain(
      'process_command',
    );
    expect(app.callsTo('cli:preview-link')).toEqual([{ id: 'p1', mode: 'external', cliProfile: 'prod' }]);
    await user.click(screen.getByRole('radio', { name: /CredentialsURI/ }));
    const name = screen.getByLabelText('aliyun CLI profile name');
    await user.clear(name);
    await user.type(name, 'work');
    await waitFor(() => expect(screen.getByTestId('cli-preview').textContent).toContain('credentials_uri'));
    // Typing is debounced: one preview for the name, not one per key.
    expect(app.callsTo('cli:preview-link').at(-1)).toEqual({ id: 'p1', mode: 'uri', cliProfile: 'work' });
    expect(app.callsTo('cli:preview-link').length).toBeLessThanOrEqual(3);
    await user.click(screen.getByRole('button', { name: 'Link' }));
    expect((await screen.findByTestId('cli-linked')).textContent).toContain(
      'Linked: aliyun CLI profile “work” now gets credentials from prod.',
    );
    expect(app.callsTo('cli:link')).toEqual([{ id: 'p1', mode: 'uri', cliProfile: 'work' }]);
  });

  it('says when the aliyun CLI would not find the External command (an app-only install), and not for CredentialsURI', async () => {
    const app = hub();
    app.programMissing = 'alicloud-signin';
    renderApp(app);
    const user = await openTab(/^aliyun CLI$/);
    const preview = await screen.findByTestId('cli-preview');
    expect(within(preview).getByTestId('cli-program-missing').textContent).toContain(
      'This app does not find “alicloud-signin” on the PATH it was started with',
    );
    await user.click(screen.getByRole('radio', { name: /CredentialsURI/ }));
    await waitFor(() => expect(screen.getByTestId('cli-preview').textContent).toContain('credentials_uri'));
    expect(screen.queryByTestId('cli-program-missing')).toBeNull();
  });

  it('a name the CLI cannot take is refused before anything is asked; nothing to change disables Link', async () => {
    const app = hub();
    app.preview = (request) => ({
      configPath: '/f',
      cliProfile: request.cliProfile ?? '',
      created: false,
      previousMode: 'External',
      newSecret: false,
      programMissing: null,
      changes: [],
    });
    renderApp(app);
    const user = await openTab(/^aliyun CLI$/);
    expect(await screen.findByText('Already linked this way: nothing to change.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Link' }) as HTMLButtonElement).disabled).toBe(true);
    const name = screen.getByLabelText('aliyun CLI profile name');
    await user.clear(name);
    expect(screen.getByText('Use printable characters only, up to 128.')).toBeTruthy();
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByRole('button', { name: 'Link' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('the import from the aliyun CLI', () => {
  it('says what happens to each OAuth profile; Import scrubs by default; keeping the tokens warns first', async () => {
    const app = hub();
    app.importPreview = {
      configPath: '/home/ana/.aliyun/config.json',
      items: [
        { cliProfile: 'oauth', outcome: 'import', profile: 'oauth', site: 'cn', holdsToken: true, reason: null },
        { cliProfile: 'empty', outcome: 'skipped', profile: null, site: null, holdsToken: false, reason: 'no-token' },
      ],
    };
    app.importDone = {
      configPath: app.importPreview.configPath,
      items: [{ cliProfile: 'oauth', outcome: 'imported', profile: 'oauth', error: null }],
      scrubbed: ['oauth'],
      backup: '/b.bak',
    };
    renderApp(app);
    const user = await openTab(/^aliyun CLI$/);
    const list = await screen.findByTestId('import-preview');
    expect(list.textContent).toContain('“oauth” becomes profile “oauth” (China site)');
    expect(list.textContent).toContain('its refresh token moves to the keychain');
    expect(list.textContent).toContain(
      'the CLI profile is linked to this app and its tokens are removed from the file',
    );
    expect(list.textContent).toContain('“empty” is left alone: it holds no refresh token');
    const keep = screen.getByRole('checkbox', { name: /Keep the tokens/ });
    await user.click(keep);
    expect(screen.getByText(/may revoke the whole sign-in/)).toBeTruthy();
    expect(list.textContent).toContain('its tokens stay in the file');
    await user.click(keep);
    // Another site's profiles (the demo's, a custom site): take site and application from one of ours.
    await user.selectOptions(screen.getByRole('combobox', { name: /Site and application/ }), 'p2');
    await waitFor(() => expect(app.callsTo('cli:preview-import').at(-1)).toEqual({ like: 'p2' }));
    await waitFor(() =>
      expect(screen.getByTestId('import-preview').textContent).toContain(
        '“oauth” becomes profile “oauth” (like staging)',
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Import' }));
    const results = await screen.findByTestId('import-results');
    expect(results.textContent).toContain('“oauth”: imported as “oauth”');
    expect(results.textContent).toContain('Removed the plaintext tokens of “oauth” from the file');
    expect(app.callsTo('cli:import')).toEqual([{ keepCliTokens: false, like: 'p2' }]);
    expect(app.callsTo('cli:preview-import')[0]).toEqual({});
  });

  it('with nothing to import says so and offers no Import', async () => {
    renderApp(hub());
    await openTab(/^aliyun CLI$/);
    expect(
      await screen.findByText('No OAuth profiles in /home/ana/.aliyun/config.json: nothing to import.'),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Import' })).toBeNull();
  });
});

describe('the console', () => {
  it('opens with an optional destination; an address that is not https is refused before asking', async () => {
    const user = userEvent.setup();
    const app = hub();
    renderApp(app);
    await user.click(await screen.findByRole('button', { name: /^Console/ }));
    const dialog = screen.getByRole('dialog', { name: 'Open the console as prod' });
    const destination = within(dialog).getByLabelText('Destination (optional)');
    expect(document.activeElement).toBe(destination);
    await user.type(destination, 'http://example.com');
    expect(within(dialog).getByText('Enter an https:// address, or leave it empty.')).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Open console' }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(destination);
    await user.click(within(dialog).getByRole('button', { name: 'Open console' }));
    expect(await within(dialog).findByText(/Opened in your browser/)).toBeTruthy();
    await user.type(destination, 'https://oss.console.aliyun.com/');
    await user.click(within(dialog).getByRole('button', { name: 'Open console' }));
    expect(app.callsTo('console:open')).toEqual([
      { id: 'p1' },
      { id: 'p1', destination: 'https://oss.console.aliyun.com/' },
    ]);
  });

  it('a refusal stays in the sheet, in words', async () => {
    const user = userEvent.setup();
    const app = hub();
    app.failNext['console:open'] = { code: 'ACCESS_DENIED', message: 'The site refused.' };
    renderApp(app);
    await user.click(await screen.findByRole('button', { name: /^Console/ }));
    await user.click(screen.getByRole('button', { name: 'Open console' }));
    expect((await within(screen.getByRole('dialog')).findByRole('alert')).getAttribute('data-code')).toBe(
      'ACCESS_DENIED',
    );
  });
});

describe('the audit view', () => {
  const entries = (n: number): AuditEntryView[] =>
    Array.from({ length: n }, (_, i) => ({
      time: new Date(Date.UTC(2026, 2, 2) - i * 60_000).toISOString(),
      profile: i % 2 ? 'prod' : 'staging',
      mode: i % 3 ? 'External' : 'CredentialsURI',
      outcome: i % 10 === 0 ? 'refused' : 'ok',
      ...(i % 10 === 0 ? { reason: 'wrong-secret' } : {}),
      count: 1,
    }));

  it('10,000 lines: at most 60 rows in the DOM, newest first, filtered by profile, outcome and text', async () => {
    const app = hub();
    app.audit = entries(10_000);
    renderApp(app);
    const user = await openTab(/^Audit log/);
    expect(await screen.findByRole('heading', { name: 'Audit log (10,000)' })).toBeTruthy();
    const table = () => screen.getByRole('table', { name: /newest first/ });
    const rows = () => within(table()).getAllByRole('row').slice(1);
    expect(rows().length).toBeGreaterThan(5);
    expect(rows().length).toBeLessThanOrEqual(60);
    expect(table().getAttribute('aria-rowcount')).toBe('10001');
    expect(rows()[0]?.getAttribute('aria-rowindex')).toBe('2');
    await user.selectOptions(screen.getByLabelText('Profile'), 'prod');
    await waitFor(() => expect(screen.getByText('5,000 of 10,000 entries')).toBeTruthy());
    for (const row of rows()) expect(row.textContent).toContain('prod');
    await user.selectOptions(screen.getByLabelText('Outcome'), 'refused');
    // Every tenth line is a refusal and those are all even: none of prod's.
    expect(await screen.findByText('No entry matches.')).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Profile'), '');
    await waitFor(() => expect(screen.getByText('1,000 of 10,000 entries')).toBeTruthy());
    await user.selectOptions(screen.getByLabelText('Outcome'), 'all');
    await user.type(screen.getByRole('searchbox', { name: 'Filter the audit log' }), 'wrong-secret');
    await waitFor(() => expect(screen.getByText('1,000 of 10,000 entries')).toBeTruthy());
    expect(rows()[0]?.textContent).toContain('Refused (wrong-secret)');
  });

  it('an empty log says so', async () => {
    renderApp(hub());
    await openTab(/^Audit log/);
    expect(await screen.findByText('The broker has handed out nothing yet.')).toBeTruthy();
  });
});

describe('the expiry overview', () => {
  it('lists every profile in the order main sorted them, with the tray’s warnings, in Chinese too', async () => {
    const app = hub();
    const soon = new Date(Date.now() + 5 * 3_600_000).toISOString();
    app.expiry = {
      at: new Date().toISOString(),
      rows: [
        {
          profileId: 'p2',
          name: 'staging',
          status: 'signed-in',
          role: false,
          refreshTokenExpiresAt: soon,
          stsExpiresAt: null,
          warnings: ['staging 的登录将在 5 小时后失效。请重新登录以继续使用。'],
        },
        {
          profileId: 'p1',
          name: 'prod',
          status: 'signed-in',
          role: false,
          refreshTokenExpiresAt: null,
          stsExpiresAt: null,
          warnings: [],
        },
      ],
    };
    renderApp(app, 'zh-CN');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: '过期一览' }));
    const table = await screen.findByRole('table', { name: '所有配置，最早过期的在前' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-profile'))).toEqual(['staging', 'prod']);
    expect(rows[0]?.textContent).toContain('5 小时后失效');
    expect(rows[1]?.textContent).toContain('无');
    expect(app.callsTo('expiry:overview')).toEqual([{ language: 'zh-CN' }]);
  });
});
