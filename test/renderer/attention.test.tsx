// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { errorsEn, errorsZh } from '../../renderer/i18n/errors';
import { FakeApp, makeBuckets, makeProfile, signedIn } from './fake-api';
import { renderApp } from './render';

afterEach(cleanup);

/** A profile whose refresh the site refused: the token service keeps the identity, drops the rest. */
function refused(over: Partial<Parameters<typeof makeProfile>[0]> = {}) {
  const { accessTokenExpiresAt: _a, refreshTokenExpiresAt: _r, ...rest } = signedIn({ id: 'p1', name: 'prod' });
  return { ...rest, status: 'needs-attention' as const, ...over };
}

function withProfile(profile: ReturnType<typeof makeProfile>): FakeApp {
  const app = new FakeApp();
  app.profiles = [profile];
  app.activeProfileId = profile.id;
  app.buckets.set(profile.id, makeBuckets(3));
  return app;
}

describe('a sign-in the site no longer accepts (needs attention)', () => {
  it('shows a banner with the reason in words and Sign in again, the last identity as stale, and why the buckets are missing', async () => {
    const user = userEvent.setup();
    const { app } = renderApp(withProfile(refused()));
    const details = (await screen.findByRole('heading', { name: 'prod' })).closest('section')!;
    const banner = within(details).getByRole('alert');
    expect(banner.getAttribute('data-code')).toBe('INVALID_GRANT');
    expect(banner.textContent).toContain('The site no longer accepts this sign-in. Sign in again.');
    expect(banner.textContent).toContain('it ran out, or another program used it');
    expect(banner.textContent).toContain('Code INVALID_GRANT');

    const identity = screen.getByTestId('identity');
    expect(identity.textContent).toMatch(/^Last signed in as alice@1098765432109876\.onaliyun\.com \(RAM user\)/);
    expect(identity.classList.contains('stale')).toBe(true);
    expect(within(details).getByText('Needs attention')).toBeTruthy();

    // The buckets pane gives the INVALID_GRANT words, not "sign in to see" or "no buckets".
    const buckets = screen.getByRole('heading', { name: 'Buckets' }).closest('section')!;
    expect(within(buckets).getByRole('alert').textContent).toContain(errorsEn.INVALID_GRANT);
    expect(buckets.textContent).not.toContain('Sign in to see the buckets');
    expect(buckets.textContent).not.toContain('no buckets');
    expect(app.callsTo('buckets:list')).toEqual([]);

    await user.click(within(banner).getByRole('button', { name: 'Sign in again' }));
    expect(app.callsTo('auth:sign-in')).toEqual([{ id: 'p1' }]);
  });

  it('appears the moment main announces the refusal (after a failed listing), and goes once signed in again', async () => {
    const profile = signedIn({ id: 'p1', name: 'prod' });
    const { app } = renderApp(withProfile(profile));
    await screen.findByRole('heading', { name: 'Buckets (3)' });
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => {
      app.profiles = [refused()];
      app.announce();
    });
    await screen.findByText('The site no longer accepts this sign-in. Sign in again.');
    expect(screen.queryByRole('table')).toBeNull();
    act(() => {
      app.profiles = [profile];
      app.announce();
    });
    await waitFor(() =>
      expect(screen.queryByText('The site no longer accepts this sign-in. Sign in again.')).toBeNull(),
    );
    expect(screen.getByTestId('identity').classList.contains('stale')).toBe(false);
    await screen.findByRole('heading', { name: 'Buckets (3)' });
  });

  it('reads in Chinese too', async () => {
    renderApp(withProfile(refused()), 'zh-CN');
    const title = await screen.findByText('站点不再接受此次登录，请重新登录。');
    expect(
      within(title.closest('[role="alert"]') as HTMLElement).getByRole('button', { name: '重新登录' }),
    ).toBeTruthy();
    expect(screen.getByTestId('identity').textContent).toMatch(/^上次登录身份为 alice@/);
    expect(document.body.textContent).toContain(errorsZh.INVALID_GRANT);
  });

  it('a role assumed through such a profile points at it, with no banner of its own', async () => {
    const app = new FakeApp();
    const source = refused();
    const role = makeProfile({
      id: 'r1',
      name: 'ops',
      status: 'needs-attention',
      role: {
        arn: 'acs:ram::1234567890123456:role/ops',
        accountId: '1234567890123456',
        roleName: 'ops',
        source: 'prod',
      },
    });
    app.profiles = [source, role];
    app.activeProfileId = 'r1';
    renderApp(app);
    await screen.findByRole('heading', { name: 'ops' });
    expect(
      screen.getByText('This role gets its credentials through prod, which needs attention: sign in to prod again.'),
    ).toBeTruthy();
    expect(screen.queryByText('The site no longer accepts this sign-in. Sign in again.')).toBeNull();
  });
});

describe('headings and names', () => {
  it('the window has exactly one level-one heading, on the first run and with profiles', async () => {
    renderApp();
    await screen.findByText(/Sign in to Alibaba Cloud in your own browser/);
    expect(screen.getAllByRole('heading', { level: 1 }).map((h) => h.textContent)).toEqual(['AliCloud Sign-in']);
    cleanup();
    renderApp(withProfile(signedIn({ id: 'p1', name: 'prod' })));
    await screen.findByRole('heading', { name: 'prod' });
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
  });

  it('every Copy button’s name begins with the word it shows', async () => {
    renderApp(withProfile(signedIn({ id: 'p1', name: 'prod' })));
    await screen.findByRole('heading', { name: 'Buckets (3)' });
    const copies = screen.getAllByRole('button').filter((button) => button.classList.contains('copy'));
    expect(copies.length).toBeGreaterThan(1);
    for (const button of copies) {
      const shown = button.firstChild?.textContent ?? '';
      expect(shown).toBe('Copy');
      expect(button.textContent?.startsWith(`${shown} `)).toBe(true);
    }
    expect(screen.getByRole('button', { name: 'Copy account ID' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy the name bucket-00000' })).toBeTruthy();
  });
});
