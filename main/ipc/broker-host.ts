/*
 * The window's side of the broker host and of "Start at login": the channels that report and
 * change them, and the tray's line about the broker. No Electron here; the shell hands in its
 * login item (main/shell/login-item.ts).
 */
import type { BrokerHost, BrokerHostStatus } from '../services/app/broker-host.js';
import { NO_LOGIN_ITEM, type LoginItem } from '../services/autostart/login-item.js';
import type { AppSettings, BrokerStatusView } from '../../shared/contract.js';
import { asErrorCode } from './result.js';
import type { ShellLanguage } from './shell-words.js';
import type { Implementation } from './table.js';

/** The channels backend.ts serves from the broker host and the login item. */
export type HostedChannels = 'broker:status' | 'app:settings' | 'app:set-settings';
export type HostedImplementation = Pick<Implementation, HostedChannels>;

export function brokerView(status: BrokerHostStatus | undefined): BrokerStatusView {
  if (!status) return { state: 'off' };
  if (status.state === 'failed')
    return { state: 'failed', error: { code: asErrorCode(status.code), message: status.message } };
  return status;
}

export function hostedChannels(host: BrokerHost | undefined, login: LoginItem = NO_LOGIN_ITEM): HostedImplementation {
  const settings = async (): Promise<AppSettings> => ({
    startAtLogin: login.supported ? await login.get() : false,
    startAtLoginSupported: login.supported,
  });
  return {
    'broker:status': async () => brokerView(host?.status()),
    'app:settings': settings,
    'app:set-settings': async ({ startAtLogin }) => {
      await login.set(startAtLogin);
      return settings();
    },
  };
}

const WORDS = {
  en: {
    off: 'Broker: off',
    starting: 'Broker: starting…',
    serving: (port: number) => `Broker: running in this app (port ${port})`,
    attached: (pid: number, by: string) => `Broker: running (pid ${pid}, started by ${by})`,
    by: { cli: 'the CLI', 'this-app': 'this app' },
    failed: 'Broker: not running',
    stopped: 'Broker: stopped',
  },
  'zh-CN': {
    off: '凭证代理：未启用',
    starting: '凭证代理：正在启动…',
    serving: (port: number) => `凭证代理：由本应用运行（端口 ${port}）`,
    attached: (pid: number, by: string) => `凭证代理：运行中（进程 ${pid}，由${by}启动）`,
    by: { cli: '命令行', 'this-app': '本应用' },
    failed: '凭证代理：未运行',
    stopped: '凭证代理：已停止',
  },
} as const;

/** One line for the tray menu and its tooltip. */
export function brokerLine(view: BrokerStatusView, language: ShellLanguage): string {
  const words = WORDS[language];
  switch (view.state) {
    case 'serving':
      return words.serving(view.port);
    case 'attached':
      return words.attached(view.pid, words.by[view.startedBy]);
    case 'off':
    case 'starting':
    case 'failed':
    case 'stopped':
      return words[view.state];
  }
}
