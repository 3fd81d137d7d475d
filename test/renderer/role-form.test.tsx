// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { newRoleForm, stsNeed, toRoleDraft } from '../../renderer/state/role-form';
import type { Channel, ProfileView, Result, RoleDraft, WireError } from '../../shared/contract';
import { makeProfile, signedIn } from './fake-api';
import { HubFake } from './hub-fake';
import { renderApp } from './render';

// "Add role" in the window against the fake app: the form's rules (the shared patterns), what it
// sends, what it says after; and the Audit pane reading the log again when main says it changed.

afterEach(cleanup);

const ROLE_A = 'acs:ram::1234567890123456:role/demo-reader';
const user = signedIn({ id: 'user-1', name: 'alice' });
const demo = signedIn({ id: 'demo-1', name: 'demo', site: 'custom', demo: true });
const custom = signedIn({ id: 'own-1', name: 'own', site: 'custom' });
const roleA = makeProfile({
  id: 'role-a',
  name: 'roleA',
  site: 'custom',
  status: 'signed-in',
  role: { arn: ROLE_A, accountId: '1234567890123456', roleName: 'demo-reader', source: 'demo' },
});

/** HubFake that answers "Add role": with `refuse`, as main refuses; else it stores the role. */
class RolesFake extends HubFake {
  refuse: WireError | undefined;
  unchecked: WireError | undefined;

  protected override async other(channel: Channel, request: unknown): Promise<Result<unknown>> {
    if (channel !== 'profiles:add-role') return super.other(channel, request);
    if (this.refuse) return { ok: false, error: this.refuse };
    const draft = request as RoleDraft;
    const profile: ProfileView = makeProfile({
      id: `id-${draft.name}`,
      name: draft.name,
      status: 'signed-in',
      role: { arn: draft.roleArn, accountId: '1234567890123456', roleName: 'demo-reader', source: 'alice' },
    });
    this.profiles.push(profile);
    this.announce();
    return { ok: true, value: { profile, ...(this.unchecked ? { unchecked: this.unchecked } : {}) } };
  }
}

function fake(): RolesFake {
  const app = new RolesFake();
  app.profiles = [user, demo];
  app.activeProfileId = 'user-1';
  return app;
}

describe('the Add role form’s rules', () => {
  const form = (over: Partial<ReturnType<typeof newRoleForm>>) => ({
    ...newRoleForm([user, demo, custom, roleA]),
    ...over,
  });

  it('needs a role ARN and a name; sends only what was typed, the source by id', () => {
    expect(toRoleDraft(form({ roleArn: 'arn:aws:iam::1:role/x' }), user).errors).toEqual({ roleArn: 'roleArn' });
    expect(toRoleDraft(form({ name: '-bad', roleArn: ROLE_A }), user).errors).toEqual({ name: 'name' });
    expect(
      toRoleDraft(form({ roleArn: ` ${ROLE_A} `, duration: '7200', stsEndpoint: 'https://ignored' }), user).draft,
    ).toEqual({
      name: 'role',
      roleArn: ROLE_A,
      from: 'user-1',
      durationSeconds: 7200,
    });
  });

  it('checks the shapes of duration, session name, external ID and region (the bounds are main’s)', () => {
    const { errors } = toRoleDraft(
      form({ roleArn: ROLE_A, duration: '1h', sessionName: 'x', externalId: 'a b', region: 'Cn Hangzhou' }),
      user,
    );
    expect(errors).toEqual({
      duration: 'duration',
      sessionName: 'sessionName',
      externalId: 'externalId',
      region: 'region',
    });
    // 99 seconds is a whole number: main says it is below 900, in its words.
    expect(toRoleDraft(form({ roleArn: ROLE_A, duration: '99' }), user).draft?.durationSeconds).toBe(99);
  });

  it('asks for an STS endpoint only where none is known: a custom site that is not the demo nor a role', () => {
    expect([user, demo, custom, roleA].map(stsNeed)).toEqual(['hidden', 'demo', 'required', 'from-source']);
    expect(toRoleDraft(form({ roleArn: ROLE_A, from: 'own-1' }), custom).errors).toEqual({
      stsEndpoint: 'stsRequired',
    });
    expect(toRoleDraft(form({ roleArn: ROLE_A, stsEndpoint: 'http://sts' }), custom).errors).toEqual({
      stsEndpoint: 'url',
    });
    expect(toRoleDraft(form({ roleArn: ROLE_A }), demo).draft).not.toHaveProperty('stsEndpoint');
    expect(toRoleDraft(form({ roleArn: ROLE_A, stsEndpoint: 'https://sts.example' }), roleA).draft?.stsEndpoint).toBe(
      'https://sts.example',
    );
  });
});

describe('Add role in the window', () => {
  it('sends the role with the active profile as its source; the new role is active and says it was checked', async () => {
    const app = fake();
    renderApp(app);
    const userEv = userEvent.setup();
    await userEv.click(await screen.findByRole('button', { name: 'Add role' }));
    const dialog = screen.getByRole('dialog');
    expect((within(dialog).getByLabelText('Assumed with the credentials of') as HTMLSelectElement).value).toBe(
      'user-1',
    );
    // A cn source: no STS endpoint to give.
    expect(within(dialog).queryByLabelText('STS endpoint')).toBeNull();
    await userEv.selectOptions(within(dialog).getByLabelText('Assumed with the credentials of'), 'demo-1');
    expect(within(dialog).getByText('Empty: the demo site’s own STS on this computer.')).toBeTruthy();
    await userEv.clear(within(dialog).getByLabelText('Name'));
    await userEv.type(within(dialog).getByLabelText('Name'), 'reader');
    await userEv.type(within(dialog).getByLabelText('Role ARN'), `${ROLE_A}{Enter}`);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(app.callsTo('profiles:add-role')).toEqual([{ name: 'reader', roleArn: ROLE_A, from: 'demo-1' }]);
    expect(await screen.findByText('Added reader: STS issued credentials for the role.')).toBeTruthy();
    expect(app.callsTo('profiles:activate')).toEqual([{ id: 'id-reader' }]);
  });

  it('a field the shared rules refuse is marked and nothing is sent', async () => {
    const app = fake();
    renderApp(app);
    const userEv = userEvent.setup();
    await userEv.click(await screen.findByRole('button', { name: 'Add role' }));
    await userEv.type(screen.getByLabelText('Role ARN'), 'acs:ram::x:role/y{Enter}');
    expect(await screen.findByText('Enter a role ARN like acs:ram::1234567890123456:role/ReadOnly.')).toBeTruthy();
    expect(screen.getByLabelText('Role ARN').getAttribute('aria-invalid')).toBe('true');
    expect(app.callsTo('profiles:add-role')).toEqual([]);
  });

  it('main’s refusal is said with its code in the open form (in Chinese too); Escape closes it', async () => {
    const app = fake();
    app.refuse = { code: 'ROLE_NOT_ASSUMABLE', message: 'Role … does not exist.' };
    renderApp(app, 'zh-CN');
    const userEv = userEvent.setup();
    await userEv.click(await screen.findByRole('button', { name: '添加角色' }));
    await userEv.type(screen.getByLabelText('角色 ARN'), ROLE_A);
    await userEv.click(within(screen.getByRole('dialog')).getByRole('button', { name: '添加角色' }));
    const alert = await within(screen.getByRole('dialog')).findByRole('alert');
    expect(alert.getAttribute('data-code')).toBe('ROLE_NOT_ASSUMABLE');
    expect(alert.textContent).toContain('无法扮演该角色');
    // The submit button keeps the focus (it is never disabled), so Escape still reaches the sheet.
    expect(document.activeElement?.textContent).toBe('添加角色');
    expect(document.activeElement?.hasAttribute('disabled')).toBe(false);
    await userEv.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(app.profiles.map((p) => p.name)).toEqual(['alice', 'demo']);
  });

  it('a role stored unchecked says why, in words', async () => {
    const app = fake();
    app.unchecked = { code: 'NOT_SIGNED_IN', message: '' };
    renderApp(app);
    const userEv = userEvent.setup();
    await userEv.click(await screen.findByRole('button', { name: 'Add role' }));
    await userEv.type(screen.getByLabelText('Role ARN'), `${ROLE_A}{Enter}`);
    expect(
      await screen.findByText(
        /^Added role, not checked yet: This profile is not signed in\. Sign in to use it\. The role is assumed/,
      ),
    ).toBeTruthy();
  });
});

describe('the Audit pane follows the log', () => {
  it('reads it again when main says it changed: once for a burst, no click', async () => {
    const app = fake();
    renderApp(app);
    await userEvent.setup().click(await screen.findByRole('tab', { name: /^Audit log/ }));
    expect(await screen.findByText('The broker has handed out nothing yet.')).toBeTruthy();
    const reads = () => app.callsTo('audit:list').length;
    const before = reads();
    app.audit = [{ time: new Date().toISOString(), profile: 'alice', mode: 'External', outcome: 'ok', count: 1 }];
    act(() => {
      for (let i = 0; i < 5; i++) app.emit('audit-changed', { at: new Date().toISOString() });
    });
    expect(await screen.findByRole('heading', { name: 'Audit log (1)' })).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(reads() - before).toBe(1);
  });
});
