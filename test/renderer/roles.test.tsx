// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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

  it("edits only what is its own (name, region, OSS endpoint): its site is its source's", async () => {
    const user = userEvent.setup();
    // A role whose source is on a custom site (your own application): its copied site settings
    // (client id, redirect, endpoints) must not be offered for editing.
    const app = withRole('alice');
    app.profiles = app.profiles.map((p) =>
      p.id === 'role-b'
        ? {
            ...p,
            site: 'custom',
            officialClient: false,
            clientId: 'source-client',
            endpoints: {
              issuer: 'https://idp.example',
              authorization: 'https://idp.example/a',
              token: 'https://idp.example/t',
              jwks: 'https://idp.example/k',
            },
          }
        : p,
    );
    renderApp(app);
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByTestId('role-edit-note').textContent).toContain('signs in through alice');
    expect(within(dialog).queryByLabelText(/Client ID/)).toBeNull();
    expect(within(dialog).queryByLabelText(/Token endpoint/)).toBeNull();
    expect(within(dialog).queryByLabelText(/^Redirect/)).toBeNull();
    const name = within(dialog).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'prod-admin-2');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(app.callsTo('profiles:update')).toEqual([{ id: 'role-b', changes: { name: 'prod-admin-2' } }]);
  });

  it('says so when its source is gone, in Chinese too', async () => {
    renderApp(withRole(null), 'zh-CN');
    const details = (await screen.findByRole('heading', { name: 'prod-admin' })).closest('section')!;
    expect(within(details).getByTestId('identity').textContent).toContain(
      '账号 5678901234567890 中的角色 cross-account-admin；用于扮演它的配置已不存在',
    );
  });
});
