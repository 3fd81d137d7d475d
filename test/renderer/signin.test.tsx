// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApp, makeProfile, signedIn } from './fake-api';
import { renderApp } from './render';

afterEach(cleanup);

const URL_TEXT = 'https://signin.aliyun.com/oauth2/v1/auth?client_id=4038181954557748008&state=abc';

async function startSignIn(app: FakeApp) {
  const user = userEvent.setup();
  renderApp(app);
  await user.click(await screen.findByRole('button', { name: 'Sign in' }));
  return user;
}

function oneProfile(demo = false): FakeApp {
  const app = new FakeApp();
  app.profiles = [makeProfile({ id: 'p1', name: demo ? 'demo' : 'prod', demo, site: demo ? 'custom' : 'cn' })];
  app.activeProfileId = 'p1';
  return app;
}

describe('the sign-in sheet', () => {
  it('starts, then shows the copyable URL, a countdown and Cancel while the browser is open', async () => {
    const app = oneProfile();
    const user = await startSignIn(app);
    const sheet = screen.getByRole('dialog', { name: 'Signing in to prod' });
    expect(within(sheet).getByRole('status').textContent).toBe('Starting the sign-in…');
    act(() =>
      app.emit('sign-in-progress', {
        profileId: 'p1',
        phase: {
          kind: 'waiting',
          url: URL_TEXT,
          redirectUri: 'http://127.0.0.1:12345/cli/callback',
          deadline: Date.now() + 300_000,
          browserOpened: true,
        },
      }),
    );
    expect(within(sheet).getByText('Continue in your browser.')).toBeTruthy();
    expect((within(sheet).getByRole('textbox', { name: 'Sign-in address' }) as HTMLInputElement).value).toBe(URL_TEXT);
    expect(within(sheet).getByRole('timer').textContent).toMatch(/^(5:00|4:59) left$/);
    // Named by what it shows and then what it copies (the visible word is part of the name).
    await user.click(within(sheet).getByRole('button', { name: 'Copy the sign-in address' }));
    expect(app.callsTo('app:copy-text')).toEqual([{ text: URL_TEXT }]);
    expect(within(sheet).getByRole('button', { name: 'Copied the sign-in address' })).toBeTruthy();
    await user.click(within(sheet).getByRole('button', { name: 'Open the browser again' }));
    expect(app.callsTo('auth:open-browser')).toEqual([{ id: 'p1' }]);
    await user.click(within(sheet).getByRole('button', { name: 'Cancel' }));
    expect(app.callsTo('auth:cancel-sign-in')).toEqual([{ id: 'p1' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says so when no browser opened, and Esc cancels', async () => {
    const app = oneProfile();
    const user = await startSignIn(app);
    act(() =>
      app.emit('sign-in-progress', {
        profileId: 'p1',
        phase: {
          kind: 'waiting',
          url: URL_TEXT,
          redirectUri: 'alicloud-signin://callback',
          deadline: Date.now() + 60_000,
          browserOpened: false,
        },
      }),
    );
    expect(screen.getByText(/No browser opened\. Open this address in a browser/)).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(app.callsTo('auth:cancel-sign-in')).toEqual([{ id: 'p1' }]);
  });

  it('closes by itself on success and the profile shows who signed in', async () => {
    const app = oneProfile();
    await startSignIn(app);
    act(() => app.emit('sign-in-progress', { profileId: 'p1', phase: { kind: 'exchanging' } }));
    expect(screen.getByText('Got the answer from the browser; finishing the sign-in…')).toBeTruthy();
    const done = signedIn({ id: 'p1', name: 'prod' });
    app.profiles = [done];
    act(() => {
      app.emit('sign-in-progress', { profileId: 'p1', phase: { kind: 'finished', profile: done } });
      app.announce();
      app.pendingSignIn?.resolve({ ok: true, value: done });
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('identity').textContent).toContain('alice@1098765432109876.onaliyun.com');
  });

  it('stays open on failure with plain words, the code in small type, and Try again', async () => {
    const app = oneProfile();
    const user = await startSignIn(app);
    act(() =>
      app.emit('sign-in-progress', {
        profileId: 'p1',
        phase: { kind: 'failed', error: { code: 'ACCESS_DENIED', message: 'Refused.' } },
      }),
    );
    await act(async () =>
      app.pendingSignIn?.resolve({ ok: false, error: { code: 'ACCESS_DENIED', message: 'Refused.' } }),
    );
    const sheet = screen.getByRole('dialog');
    const alert = within(sheet).getByRole('alert');
    expect(alert.textContent).toContain('The sign-in did not work');
    expect(alert.textContent).toContain('The sign-in was refused in the browser, so nothing was stored.');
    expect(within(alert).getByText('Code ACCESS_DENIED').className).toContain('small');
    await user.click(within(sheet).getByRole('button', { name: 'Try again' }));
    expect(app.callsTo('auth:sign-in')).toEqual([{ id: 'p1' }, { id: 'p1' }]);
    expect(within(screen.getByRole('dialog')).getByText('Starting the sign-in…')).toBeTruthy();
  });

  it('a time-out reads as one, in Chinese too', async () => {
    const app = oneProfile();
    const user = userEvent.setup();
    renderApp(app, 'zh-CN');
    await user.click(await screen.findByRole('button', { name: '登录' }));
    act(() =>
      app.emit('sign-in-progress', {
        profileId: 'p1',
        phase: { kind: 'failed', error: { code: 'SIGNIN_TIMEOUT', message: 'x' } },
      }),
    );
    expect(screen.getByRole('alert').textContent).toContain('登录未在限定时间内完成。准备好后请重新开始。');
  });

  it('a keychain failure also raises the window banner', async () => {
    const app = oneProfile();
    await startSignIn(app);
    act(() =>
      app.emit('sign-in-progress', {
        profileId: 'p1',
        phase: { kind: 'failed', error: { code: 'KEYCHAIN_LOCKED', message: 'Locked.' } },
      }),
    );
    expect(screen.getAllByRole('alert').filter((a) => a.getAttribute('data-code') === 'KEYCHAIN_LOCKED')).toHaveLength(
      2,
    );
  });

  it('on the demo site tells how to log in and warns about its certificate', async () => {
    const app = oneProfile(true);
    await startSignIn(app);
    act(() =>
      app.emit('sign-in-progress', {
        profileId: 'p1',
        phase: {
          kind: 'waiting',
          url: 'https://127.0.0.1:4443/oauth2/v1/auth',
          redirectUri: 'http://127.0.0.1:5000/callback',
          deadline: Date.now() + 60_000,
          browserOpened: true,
        },
      }),
    );
    expect(await screen.findByText(/Demo site: sign in as “alice” with the password “demo-password”/)).toBeTruthy();
  });

  it('appears for a sign-in started elsewhere (the tray)', async () => {
    const app = oneProfile();
    renderApp(app);
    await screen.findByRole('heading', { name: 'prod' });
    act(() =>
      app.emit('sign-in-progress', {
        profileId: 'p1',
        phase: { kind: 'waiting', url: URL_TEXT, redirectUri: 'x', deadline: Date.now() + 60_000, browserOpened: true },
      }),
    );
    expect(screen.getByRole('dialog', { name: 'Signing in to prod' })).toBeTruthy();
  });
});
