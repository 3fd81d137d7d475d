// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApp } from './fake-api';
import { renderApp } from './render';

afterEach(cleanup);

describe('the window’s status bar', () => {
  it('says where the broker runs and follows its changes', async () => {
    const app = new FakeApp();
    app.broker = { state: 'attached', pid: 4321, port: 7878, startedAt: '2026-01-01T00:00:00.000Z', startedBy: 'cli' };
    renderApp(app);
    expect(await screen.findByText('Broker: running (pid 4321, started by the CLI)')).toBeTruthy();
    act(() =>
      app.emit('broker-changed', { state: 'serving', pid: 1, port: 7878, startedAt: '2026-01-01T00:00:00.000Z' }),
    );
    expect(await screen.findByText('Broker: running in this app (port 7878)')).toBeTruthy();
    act(() =>
      app.emit('broker-changed', {
        state: 'failed',
        error: { code: 'PORTS_IN_USE', message: 'Port 7878 on 127.0.0.1 is taken by another program.' },
      }),
    );
    const failed = await screen.findByText('Broker: not running (PORTS_IN_USE)');
    expect(failed.getAttribute('title')).toContain('Port 7878');
  });

  it('shows nothing about a broker where the backend runs none, in Chinese too', async () => {
    const app = new FakeApp();
    app.broker = { state: 'off' };
    renderApp(app, 'zh-CN');
    expect(await screen.findByRole('checkbox', { name: /登录时启动/ })).toBeTruthy();
    expect(screen.queryByText(/凭证代理/)).toBeNull();
  });

  it('turns Start at login on and off through the bridge, off by default', async () => {
    const app = new FakeApp();
    renderApp(app);
    const box = (await screen.findByRole('checkbox', { name: /Start at login/ })) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await userEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(true));
    expect(app.callsTo('app:set-settings')).toEqual([{ startAtLogin: true }]);
    await userEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(false));
    expect(app.callsTo('app:set-settings')).toEqual([{ startAtLogin: true }, { startAtLogin: false }]);
  });

  it('keeps the box as it was and says why when the change fails', async () => {
    const app = new FakeApp();
    renderApp(app);
    const box = (await screen.findByRole('checkbox', { name: /Start at login/ })) as HTMLInputElement;
    app.failNext['app:set-settings'] = { code: 'STORE_IO', message: 'Could not write the autostart entry.' };
    await userEvent.click(box);
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-code')).toBe('STORE_IO');
    expect(box.checked).toBe(false);
  });
});

describe('the status bar with nothing to say', () => {
  it('is not drawn (no broker here, no login items)', async () => {
    const app = new FakeApp();
    app.broker = { state: 'off' };
    app.startAtLoginSupported = false;
    const { container } = renderApp(app);
    await waitFor(() => expect(app.callsTo('app:settings')).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container.querySelector('.status-bar')).toBeNull();
  });
});
