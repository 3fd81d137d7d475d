/**
 * The wire of the end-to-end bridge, shared by its two ends (test/helpers/e2e-bridge.ts in Node,
 * test/e2e/bridge-page.ts in the page).
 *
 *   GET  /bridge/events   Server-Sent Events, main → page: first `bridge:hello` {client, events},
 *                         then every app event by its own name and every answer as `bridge:result`
 *                         {id, result}, in the order main produced them.
 *   POST /bridge/invoke   page → main: {client, id, channel, request}; 202 at once, the answer
 *                         follows on that client's stream.
 */
export const EVENTS_PATH = '/bridge/events';
export const INVOKE_PATH = '/bridge/invoke';
/** Stream messages that are not app events (no EventName starts with `bridge:`). */
export const HELLO = 'bridge:hello';
export const RESULT = 'bridge:result';

export interface Hello {
  client: string;
  events: string[];
}

export interface InvokeBody {
  client: string;
  id: number;
  channel: string;
  request: unknown;
}

export interface ResultMessage {
  id: number;
  result: unknown;
}
