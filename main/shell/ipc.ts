import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { bindHandlers, forwardEvents } from '../ipc/bind.js';
import type { Backend } from '../ipc/handlers.js';
import { isTrustedSender, RENDERER_ORIGIN, type SenderInfo } from '../ipc/security.js';

function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url,
    isMainFrame: frame !== null && frame === event.sender.mainFrame,
  };
}

/**
 * Binds the handler table to ipcMain through the one sender-checking wrapper, and sends events
 * to our windows only. Returns the unbind.
 */
export function bindIpc(backend: Backend, ourWindows: () => BrowserWindow[], devUrl: string | undefined): () => void {
  const origins = devUrl ? [RENDERER_ORIGIN, devUrl] : [RENDERER_ORIGIN];
  const trusted = (sender: SenderInfo) =>
    isTrustedSender(sender, new Set(ourWindows().map((window) => window.webContents.id)), origins);
  const unbind = bindHandlers(ipcMain, backend.handlers, senderOf, trusted);
  const stopEvents = forwardEvents(backend.events, (channel, payload) => {
    for (const window of ourWindows()) {
      if (!window.isDestroyed()) window.webContents.send(channel, payload);
    }
  });
  return () => {
    unbind();
    stopEvents();
  };
}
