import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import { brokerLine } from '../ipc/broker-host.js';
import type { Backend } from '../ipc/handlers.js';
import type { ShellLanguage } from '../ipc/shell-words.js';
import { trayMenu, type TrayAction, type TrayItem } from '../ipc/tray-model.js';
import type { BrokerStatusView, ProfilesSnapshot } from '../../shared/contract.js';

/** A 16×16 orange dot drawn in memory, so the tray needs no image file. */
function trayIcon(): Electron.NativeImage {
  const size = 16;
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = (x - 7.5) ** 2 + (y - 7.5) ** 2 <= 7 ** 2;
      const at = (y * size + x) * 4;
      // BGRA: #FF6A00.
      pixels.set(inside ? [0x00, 0x6a, 0xff, 0xff] : [0, 0, 0, 0], at);
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}

function toTemplate(items: TrayItem[], act: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: item.label, enabled: false };
      case 'radio':
        return { type: 'radio', label: item.label, checked: item.checked, click: () => act(item.action) };
      case 'normal':
        return { label: item.label, click: () => act(item.action) };
    }
  });
}

/**
 * The tray / menu-bar menu, rebuilt whenever the profiles or the broker change; under the app's
 * name a line says whether the broker runs here. Undefined where there is no tray.
 */
export function createTray(
  backend: Backend,
  language: ShellLanguage,
  act: (action: TrayAction) => void,
): Tray | undefined {
  let tray: Tray;
  try {
    tray = new Tray(trayIcon());
  } catch {
    return undefined;
  }
  tray.setToolTip('AliCloud Sign-in');
  let snapshot: ProfilesSnapshot | undefined;
  let broker: BrokerStatusView | undefined;
  const render = () => {
    if (!snapshot) return;
    const line = brokerLine(broker ?? { state: 'starting' }, language);
    const items = trayMenu(snapshot, language, Date.now());
    items.splice(1, 0, { type: 'label', label: line });
    tray.setContextMenu(Menu.buildFromTemplate(toTemplate(items, act)));
    tray.setToolTip(`AliCloud Sign-in · ${line}`);
  };
  backend.events.subscribe('profiles-changed', (next) => {
    snapshot = next;
    render();
  });
  backend.events.subscribe('broker-changed', (next) => {
    broker = next;
    render();
  });
  void backend.snapshot().then(
    (next) => {
      snapshot = next;
      render();
    },
    () => undefined,
  );
  void backend.handlers['broker:status']({}).then((result) => {
    // An event that came first is newer than this answer.
    if (result.ok) broker ??= result.value;
    render();
  });
  return tray;
}
