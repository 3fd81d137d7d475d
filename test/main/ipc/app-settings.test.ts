import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopBackend, type DesktopBackend } from '../../../main/ipc/backend.js';
import { brokerLine, brokerView } from '../../../main/ipc/broker-host.js';
import { HIDDEN_ARG } from '../../../main/services/autostart/login-item.js';
import { xdgLoginItem } from '../../../main/services/autostart/xdg.js';
import { MemorySecretStore } from '../../../main/services/secrets/memory-store.js';

// "Start at login" and the broker line through the handler table the window calls: requests
// checked by the contract's schema, the XDG entry written and removed for real.

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'alicloud-signin-settings-'));
});
afterAll(async () => rm(home, { recursive: true, force: true }));

function backendWith(loginItem?: Parameters<typeof createDesktopBackend>[0]['loginItem']): DesktopBackend {
  return createDesktopBackend({
    dataDir: join(home, 'data'),
    secrets: new MemorySecretStore(),
    demo: false,
    openBrowser: async () => undefined,
    ...(loginItem ? { loginItem } : {}),
  });
}

describe('Start at login through the IPC contract', () => {
  it('is off by default; on writes the autostart entry, off removes it', async () => {
    const config = join(home, 'config');
    const entry = join(config, 'autostart', 'alicloud-signin.desktop');
    const backend = backendWith(
      xdgLoginItem({
        argv: ['/opt/AliCloud Sign-in/alicloud-signin', HIDDEN_ARG],
        name: 'AliCloud Sign-in',
        comment: 'c',
        env: { XDG_CONFIG_HOME: config },
      }),
    );
    try {
      const h = backend.handlers;
      expect(await h['app:settings']({})).toEqual({
        ok: true,
        value: { startAtLogin: false, startAtLoginSupported: true },
      });
      expect(await h['app:set-settings']({ startAtLogin: true })).toEqual({
        ok: true,
        value: { startAtLogin: true, startAtLoginSupported: true },
      });
      expect(await readFile(entry, 'utf8')).toContain('\nExec="/opt/AliCloud Sign-in/alicloud-signin" --hidden\n');
      expect(await h['app:settings']({})).toMatchObject({ ok: true, value: { startAtLogin: true } });
      expect(await h['app:set-settings']({ startAtLogin: false })).toMatchObject({
        ok: true,
        value: { startAtLogin: false },
      });
      expect(await stat(entry).catch(() => 'gone')).toBe('gone');
    } finally {
      await backend.close();
    }
  });

  it('refuses requests the schema does not allow, changing nothing', async () => {
    const config = join(home, 'config-refused');
    const backend = backendWith(
      xdgLoginItem({ argv: ['/opt/app', HIDDEN_ARG], name: 'n', comment: 'c', env: { XDG_CONFIG_HOME: config } }),
    );
    try {
      for (const request of [
        { startAtLogin: 'yes' },
        { startAtLogin: 1 },
        {},
        { startAtLogin: true, exec: '/bin/sh' },
        null,
      ]) {
        expect(await backend.handlers['app:set-settings'](request), JSON.stringify(request)).toMatchObject({
          ok: false,
          error: { code: 'INVALID_INPUT' },
        });
      }
      expect(await backend.handlers['app:settings']({ startAtLogin: true })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
      expect(await stat(join(config, 'autostart')).catch(() => 'gone')).toBe('gone');
    } finally {
      await backend.close();
    }
  });

  it('without a login item (an OS without one) says so, and turning it on is refused', async () => {
    const backend = backendWith();
    try {
      expect(await backend.handlers['app:settings']({})).toEqual({
        ok: true,
        value: { startAtLogin: false, startAtLoginSupported: false },
      });
      expect(await backend.handlers['app:set-settings']({ startAtLogin: true })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
      // No broker option: the window says the broker is off here, and nothing was started.
      expect(await backend.handlers['broker:status']({})).toEqual({ ok: true, value: { state: 'off' } });
      expect(backend.broker).toBeUndefined();
    } finally {
      await backend.close();
    }
  });
});

describe('the broker line (tray menu and tooltip)', () => {
  it('says where the broker runs, in both languages', () => {
    const startedAt = '2026-01-01T00:00:00.000Z';
    expect(brokerLine({ state: 'serving', pid: 10, port: 7878, startedAt }, 'en')).toBe(
      'Broker: running in this app (port 7878)',
    );
    expect(brokerLine({ state: 'attached', pid: 4321, port: 7878, startedAt, startedBy: 'cli' }, 'en')).toBe(
      'Broker: running (pid 4321, started by the CLI)',
    );
    expect(brokerLine({ state: 'attached', pid: 4321, port: 7878, startedAt, startedBy: 'cli' }, 'zh-CN')).toBe(
      '凭证代理：运行中（进程 4321，由命令行启动）',
    );
    expect(brokerLine({ state: 'failed', error: { code: 'PORTS_IN_USE', message: 'x' } }, 'en')).toBe(
      'Broker: not running',
    );
    for (const state of ['off', 'starting', 'stopped'] as const) {
      expect(brokerLine({ state }, 'en')).toMatch(/^Broker: /);
      expect(brokerLine({ state }, 'zh-CN')).toMatch(/^凭证代理：/);
    }
  });

  it('carries a failure as a wire error with a known code', () => {
    expect(
      brokerView({
        state: 'failed',
        code: 'PORTS_IN_USE',
        message: 'Port 7878 on 127.0.0.1 is taken by another program.',
      }),
    ).toEqual({
      state: 'failed',
      error: { code: 'PORTS_IN_USE', message: 'Port 7878 on 127.0.0.1 is taken by another program.' },
    });
    expect(brokerView(undefined)).toEqual({ state: 'off' });
  });
});
