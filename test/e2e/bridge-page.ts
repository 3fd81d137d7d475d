/**
 * The page side of the end-to-end bridge, bundled for Chromium and injected before the app's own
 * script (test/helpers/e2e-bridge.ts). It does what preload/index.ts does in the shell: builds the
 * domain verbs with createApi() over a transport and puts them at `window.alicloud`. Only the
 * transport differs: one Server-Sent Events stream from main to the page (events AND the answers
 * to calls, in the order main produced them, as Electron's IPC keeps them) and an HTTP POST per
 * call from the page to main. Both are same-origin, so the built page's CSP (`connect-src 'self'`)
 * allows them unchanged.
 */
import { API_KEY, createApi, type Transport } from '../../shared/api.js';
// Types only from the contract: its schemas (zod) stay out of the page, as out of the preload.
import type { EventName } from '../../shared/contract.js';
import {
  EVENTS_PATH,
  HELLO,
  INVOKE_PATH,
  RESULT,
  type Hello,
  type InvokeBody,
  type ResultMessage,
} from './bridge-protocol.js';

// This file is type-checked with Node's libraries and runs in the page: the few DOM shapes it uses.
interface StreamMessage {
  data: string;
}
interface PageEventSource {
  addEventListener(type: string, listener: (message: StreamMessage) => void): void;
}
declare const EventSource: new (url: string) => PageEventSource;
declare const window: Record<string, unknown>;

function bridgeTransport(): Transport {
  const stream = new EventSource(EVENTS_PATH);
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const pending = new Map<number, (result: unknown) => void>();
  let calls = 0;
  let announceClient: (id: string) => void = () => undefined;
  let client = new Promise<string>((resolve) => (announceClient = resolve));

  const relayed = new Set<string>();
  const relay = (name: EventName) => {
    if (relayed.has(name)) return;
    relayed.add(name);
    stream.addEventListener(name, (message) => {
      const payload: unknown = JSON.parse(message.data);
      for (const listener of [...(listeners.get(name) ?? [])]) listener(payload);
    });
  };

  // The hello names this client and the app's events (main's EVENT_NAMES), before any of them.
  stream.addEventListener(HELLO, (message) => {
    const hello = JSON.parse(message.data) as Hello;
    for (const name of hello.events) relay(name as EventName);
    // A reconnected stream is a new client: later calls name it.
    client = Promise.resolve(hello.client);
    announceClient(hello.client);
  });
  stream.addEventListener(RESULT, (message) => {
    const { id, result } = JSON.parse(message.data) as ResultMessage;
    pending.get(id)?.(result);
    pending.delete(id);
  });

  return {
    async invoke(channel, request) {
      const id = ++calls;
      const answer = new Promise<unknown>((resolve) => pending.set(id, resolve));
      const response = await fetch(INVOKE_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client: await client, id, channel, request } satisfies InvokeBody),
      });
      if (response.status !== 202) {
        pending.delete(id);
        return { ok: false, error: { code: 'INTERNAL', message: `The e2e bridge answered HTTP ${response.status}.` } };
      }
      return answer;
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  };
}

window[API_KEY] = Object.freeze(createApi(bridgeTransport()));
