// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApp, makeProfile, signedIn } from './fake-api';
import { renderApp } from './render';

afterEach(cleanup);

function withProfiles(...profiles: ReturnType<typeof makeProfile>[]): FakeApp {
  const app = new FakeApp();
  app.profiles = profiles;
  app.activeProfileId = profiles[0]?.id ?? null;
  return app;
}

describe('first run', () => {
  it('shows one sentence and exactly three buttons, nothing else', async () => {
    renderApp();
    expect(await screen.findByText(/Sign in to Alibaba Cloud in your own browser/)).toBeTruthy();
    const main = screen.getByRole('main');
    expect(
      within(main)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['China site', 'International site', 'Try the demo']);
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('China site opens the add form on that preset and adds, then activates, the profile', async () => {
    const user = userEvent.setup();
    const { app } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'China site' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a profile' });
    expect((within(dialog).getByRole('radio', { name: /China site/ }) as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('aliyun-cn');
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Name'));
    await user.click(within(dialog).getByRole('button', { name: 'Add profile' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(app.callsTo('profiles:add')).toEqual([{ name: 'aliyun-cn', preset: 'cn', region: 'cn-hangzhou' }]);
    expect(app.callsTo('profiles:activate')).toEqual([{ id: 'id-aliyun-cn' }]);
    expect(await screen.findByRole('heading', { name: 'aliyun-cn' })).toBeTruthy();
  });

  it('Try the demo picks the labelled demo preset', async () => {
    const user = userEvent.setup();
    const { app } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Try the demo' }));
    expect(screen.getByText(/Starts a demo sign-in site/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add profile' }));
    expect(app.callsTo('profiles:add')).toEqual([{ name: 'demo', preset: 'demo' }]);
    expect(await screen.findByText(/The offline demo site, running on this computer/)).toBeTruthy();
  });
});

describe('adding your own application', () => {
  it('checks the client ID and the endpoints before sending, and sends them with the ports', async () => {
    const user = userEvent.setup();
    const { app } = renderApp(withProfiles(makeProfile({ id: 'p1', name: 'prod' })));
    await user.click(await screen.findByRole('button', { name: 'Add a profile' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('radio', { name: 'Your own OAuth application' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add profile' }));
    expect(within(dialog).getByText('Enter the client ID of your application.')).toBeTruthy();
    await user.type(within(dialog).getByLabelText('Client ID (AppId)'), '4001');
    await user.click(within(dialog).getByText('Advanced'));
    await user.type(within(dialog).getByLabelText('Loopback ports'), '23456-23460');
    await user.type(within(dialog).getByLabelText('Issuer'), 'https://id.example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Add profile' }));
    expect(within(dialog).getByText(/Fill in the issuer, authorization, token and JWKS/)).toBeTruthy();
    expect(app.callsTo('profiles:add')).toEqual([]);
    await user.type(within(dialog).getByLabelText('Authorization endpoint'), 'https://id.example.com/auth');
    await user.type(within(dialog).getByLabelText('Token endpoint'), 'https://id.example.com/token');
    await user.type(within(dialog).getByLabelText('JWKS URI'), 'https://id.example.com/jwks');
    await user.click(within(dialog).getByRole('button', { name: 'Add profile' }));
    expect(app.callsTo('profiles:add')).toEqual([
      {
        name: 'my-app',
        preset: 'own-app',
        region: 'cn-hangzhou',
        clientId: '4001',
        site: 'cn',
        redirect: 'loopback',
        ports: { from: 23456, to: 23460 },
        endpoints: {
          issuer: 'https://id.example.com',
          authorization: 'https://id.example.com/auth',
          token: 'https://id.example.com/token',
          jwks: 'https://id.example.com/jwks',
        },
      },
    ]);
  });

  it('shows what main refused in plain words and keeps the form', async () => {
    const user = userEvent.setup();
    const app = withProfiles(makeProfile({ id: 'p1', name: 'prod' }));
    app.failNext['profiles:add'] = { code: 'PROFILE_EXISTS', message: 'A profile named "aliyun-cn" exists.' };
    renderApp(app);
    await user.click(await screen.findByRole('button', { name: 'Add a profile' }));
    await user.click(screen.getByRole('button', { name: 'Add profile' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('A profile with this name already exists. Choose another name.');
    expect(alert.textContent).toContain('PROFILE_EXISTS');
    expect(screen.getByRole('dialog')).toBeTruthy();
  });
});

describe('the profile list', () => {
  it('marks each status with a symbol and a word, not colour alone, and the active one', async () => {
    const now = Date.now();
    renderApp(
      withProfiles(
        signedIn({ id: 'p1', name: 'prod-cn' }, now),
        signedIn({ id: 'p2', name: 'soon', refreshTokenExpiresAt: new Date(now + 3_600_000).toISOString() }, now),
        makeProfile({ id: 'p3', name: 'broken', status: 'needs-attention' }),
        makeProfile({ id: 'p4', name: 'audit' }),
      ),
    );
    const nav = await screen.findByRole('navigation', { name: 'Profiles' });
    const items = within(nav).getAllByRole('button', { name: /prod-cn|soon|broken|audit/ });
    expect(items.map((item) => item.textContent)).toEqual([
      '●Signed inprod-cn(active)CN',
      '◐Expires soonsoonCN',
      '▲Needs attentionbrokenCN',
      '○Signed outauditCN',
    ]);
    expect(items[0]!.getAttribute('aria-current')).toBe('true');
    expect(items[1]!.getAttribute('aria-current')).toBeNull();
  });

  it('switches the active profile in one click', async () => {
    const user = userEvent.setup();
    const { app } = renderApp(
      withProfiles(signedIn({ id: 'p1', name: 'prod' }), makeProfile({ id: 'p2', name: 'staging', site: 'intl' })),
    );
    await user.click(await screen.findByRole('button', { name: /staging/ }));
    expect(app.callsTo('profiles:activate')).toEqual([{ id: 'p2' }]);
    expect(await screen.findByRole('heading', { name: 'staging' })).toBeTruthy();
    expect(screen.getByText('Sign in to see the buckets of this profile.')).toBeTruthy();
  });

  it('offers a search box only past a handful of profiles', async () => {
    const user = userEvent.setup();
    const five = Array.from({ length: 5 }, (_, i) => makeProfile({ id: `p${i}`, name: `acct-${i}` }));
    const first = renderApp(withProfiles(...five));
    await screen.findByRole('navigation');
    expect(screen.queryByRole('searchbox', { name: 'Search profiles' })).toBeNull();
    first.unmount();
    renderApp(withProfiles(...five, makeProfile({ id: 'p9', name: 'audit-role' })));
    await user.type(await screen.findByRole('searchbox', { name: 'Search profiles' }), 'audit');
    const nav = screen.getByRole('navigation');
    expect(
      within(nav)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['○Signed outaudit-roleCN']);
  });

  it('Ctrl+K switches by typing the name', async () => {
    const user = userEvent.setup();
    const { app } = renderApp(
      withProfiles(makeProfile({ id: 'p1', name: 'prod' }), makeProfile({ id: 'p2', name: 'staging' })),
    );
    await screen.findByRole('navigation');
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    const box = await screen.findByRole('combobox', { name: 'Switch profile' });
    expect(document.activeElement).toBe(box);
    await user.type(box, 'stag{Enter}');
    expect(app.callsTo('profiles:activate')).toEqual([{ id: 'p2' }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('edits a profile, sending only what changed', async () => {
    const user = userEvent.setup();
    const { app } = renderApp(withProfiles(makeProfile({ id: 'p1', name: 'prod' })));
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const region = screen.getByLabelText('Region');
    await user.clear(region);
    await user.type(region, 'cn-shanghai');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(app.callsTo('profiles:update')).toEqual([{ id: 'p1', changes: { region: 'cn-shanghai' } }]);
  });

  it('removes only after confirmation, with keeping as the focused choice', async () => {
    const user = userEvent.setup();
    const { app } = renderApp(withProfiles(makeProfile({ id: 'p1', name: 'prod' })));
    await user.click(await screen.findByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove prod?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep it' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(app.callsTo('profiles:remove')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove' }));
    expect(app.callsTo('profiles:remove')).toEqual([{ id: 'p1' }]);
    expect(await screen.findByRole('button', { name: 'China site' })).toBeTruthy();
  });

  it('signs out and says what became of the sign-in at the site', async () => {
    const user = userEvent.setup();
    const { app } = renderApp(withProfiles(signedIn({ id: 'p1', name: 'prod' })));
    expect((await screen.findByTestId('identity')).textContent).toContain(
      'alice@1098765432109876.onaliyun.com (RAM user) · account 1098765432109876',
    );
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(app.callsTo('auth:sign-out')).toEqual([{ id: 'p1' }]);
    expect(await screen.findByText('Signed out; the site revoked the sign-in.')).toBeTruthy();
    expect(screen.getByTestId('identity').textContent).toBe('Not signed in');
  });

  it('puts a banner with "Sign in again" on a profile whose sign-in stopped working', async () => {
    renderApp(withProfiles(makeProfile({ id: 'p1', name: 'prod', status: 'expired' })));
    const banner = await screen.findByText('This profile’s sign-in stopped working.');
    expect(within(banner).getByRole('button', { name: 'Sign in again' })).toBeTruthy();
  });

  it('follows profiles-changed events from main (the tray, the CLI)', async () => {
    const app = withProfiles(makeProfile({ id: 'p1', name: 'prod' }));
    renderApp(app);
    await screen.findByRole('heading', { name: 'prod' });
    app.profiles.push(makeProfile({ id: 'p2', name: 'from-cli' }));
    act(() => app.announce());
    expect(await screen.findByRole('button', { name: /from-cli/ })).toBeTruthy();
  });
});

describe('window-wide states', () => {
  it('switches between English and Chinese and remembers the choice', async () => {
    const user = userEvent.setup();
    renderApp(withProfiles(makeProfile({ id: 'p1', name: 'prod' })));
    await user.click(await screen.findByRole('button', { name: '切换到中文' }));
    expect(await screen.findByRole('heading', { name: '配置' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(localStorage.getItem('alicloud-signin.language')).toBe('zh-CN');
    await user.click(screen.getByRole('button', { name: 'Switch to English' }));
    expect(await screen.findByRole('heading', { name: 'Profiles' })).toBeTruthy();
  });

  it('warns about a clock far off the site’s time', async () => {
    const app = withProfiles(makeProfile({ id: 'p1', name: 'prod' }));
    app.clockOffsetMs = 5 * 60_000;
    renderApp(app);
    expect((await screen.findByText(/clock is 5 minutes behind the site’s time/)).textContent).toContain(
      'automatic date and time',
    );
  });

  it('shows a banner across the window when the keychain is unavailable', async () => {
    const app = new FakeApp();
    app.failNext['profiles:list'] = { code: 'KEYCHAIN_UNAVAILABLE', message: 'No Secret Service.' };
    renderApp(app);
    const banners = await screen.findAllByRole('alert');
    expect(
      banners.some(
        (b) =>
          b.getAttribute('data-code') === 'KEYCHAIN_UNAVAILABLE' &&
          b.textContent?.includes('The system keychain is not available'),
      ),
    ).toBe(true);
  });
});
