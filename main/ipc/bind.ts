import { eventChannel } from '../../shared/api.js';
import { CHANNELS, EVENT_NAMES, type Channel, type Result } from '../../shared/contract.js';
import type { EventHub } from './events.js';
import type { SenderInfo } from './security.js';
import type { HandlerTable } from './table.js';

/** The part of ipcMain the binding uses (so this file needs no Electron). */
export interface IpcRegistrar<E> {
  handle(channel: string, listener: (event: E, request: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

const REFUSED: Result<never> = {
  ok: false,
  error: { code: 'SENDER_REFUSED', message: 'Refused: the request did not come from the app window.' },
};

/**
 * One wrapper for every channel: the sender is checked first (our window, its main frame, our
 * origin), then the table parses the request and runs the handler. Returns the unbind.
 */
export function bindHandlers<E>(
  ipc: IpcRegistrar<E>,
  table: HandlerTable,
  senderOf: (event: E) => SenderInfo,
  trusted: (sender: SenderInfo) => boolean,
): () => void {
  for (const channel of CHANNELS) {
    ipc.handle(channel, (event, request) => guardedCall(table, channel, senderOf(event), request, trusted));
  }
  return () => {
    for (const channel of CHANNELS) ipc.removeHandler(channel);
  };
}

export async function guardedCall(
  table: HandlerTable,
  channel: Channel,
  sender: SenderInfo,
  request: unknown,
  trusted: (sender: SenderInfo) => boolean,
): Promise<Result<unknown>> {
  if (!trusted(sender)) return REFUSED;
  return table[channel](request);
}

/** Sends every event to `send` (the shell: each window's webContents). Returns the unsubscribe. */
export function forwardEvents(events: EventHub, send: (channel: string, payload: unknown) => void): () => void {
  const stops = EVENT_NAMES.map((name) => events.subscribe(name, (payload) => send(eventChannel(name), payload)));
  return () => stops.forEach((stop) => stop());
}
