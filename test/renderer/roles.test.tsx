// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApp, makeProfile, signedIn } from './fake-api';
import { renderApp } from './render';

afterEach(cleanup);

const ROLE_B = 'acs:ram::5678901234567890:role/cross-account-admin';

function withRole(source: string | null): FakeApp {
  const app = new FakeApp();
  app.profiles = [
    signedIn({ id: 'user-1', name: 'alice' }),
    makeProfile({
      id: 'role-b',
      name: 'prod-admin',
      status: 'signed-in',
      role: { arn: ROLE_B, accountId: '5678901234567890', roleName: 'cross-account-admin', source },
    }),
  ];
  app.activeProfileId = 'role-b';
  return app;
}

describe('a role profile in the window', () => {
  it('shows its role, account and source, and offers no sign-in of its own', async () => {
    renderApp(withRole('alice'));
    const details = (await screen.findByRole('heading', { name: 'prod-admin' })).closest('section')!;
    expect(within(details).getByTestId('identity').textContent).toContain(
      'Role cross-account-admin in account 5678901234567890, assumed with the credentials of alice',
    );
    expect(within(details).getByText('Signs in through alice')).toBeTruthy();
    expect(within(details).queryByRole('button', { name: 'Sign in' })).toBeNull();
    expect(within(details).queryByRole('button', { name: 'Sign out' })).toBeNull();
    expect(within(details).getByRole('button', { name: 'Copy account ID' })).toBeTruthy();
  });

  it('says so when its source is gone, in Chinese too', async () => {
    renderApp(withRole(null), 'zh-CN');
    const details = (await screen.findByRole('heading', { name: 'prod-admin' })).closest('section')!;
    expect(within(details).getByTestId('identity').textContent).toContain(
      '账号 5678901234567890 中的角色 cross-account-admin；用于扮演它的配置已不存在',
    );
  });
});
