import { describe, expect, it, vi } from 'vitest';
import { bindHandlers, forwardEvents, guardedCall } from '../../../main/ipc/bind.js';
import { EventHub } from '../../../main/ipc/events.js';
import { toWireError } from '../../../main/ipc/result.js';
import { createHandlerTable, isChannel, parseChannelRequest, type Implementation } from '../../../main/ipc/table.js';
import { AppError } from '../../../main/services/core/errors.js';
import { CHANNELS } from '../../../shared/contract.js';

const ID = 'AbCdEfGh12345678';

/** Every channel answers with its parsed request, so the table's parsing is what a test sees. */
function echo(): Implementation {
  return Object.fromEntries(
    CHANNELS.map((channel) => [channel, async (request: unknown) => request]),
  ) as unknown as Implementation;
}

describe('request schemas', () => {
  it('parse what the window sends and refuse everything else as INVALID_INPUT, naming fields, never values', () => {
    expect(parseChannelRequest('auth:sign-in', { id: ID })).toEqual({ id: ID });
    expect(parseChannelRequest('profiles:add', { name: 'prod', preset: 'cn' })).toEqual({ name: 'prod', preset: 'cn' });
    const bad = [
      ['auth:sign-in', { id: '../etc/passwd' }],
      ['auth:sign-in', { id: ID, extra: true }],
      ['auth:sign-in', 'AbCdEfGh12345678'],
      ['profiles:add', { name: 'prod', preset: 'root' }],
      ['profiles:add', { name: ' bad name', preset: 'cn' }],
      ['profiles:add', { name: 'x', preset: 'own-app', ossEndpoint: 'http://plain.example' }],
      ['profiles:add', { name: 'x', preset: 'own-app', endpoints: { issuer: 'https://a' } }],
      ['profiles:update', { id: ID, changes: { brokerEnabled: false } }],
      ['app:copy-text', { text: 'x'.repeat(20_000) }],
      ['profiles:list', { anything: 1 }],
    ] as const;
    for (const [channel, request] of bad) {
      let thrown: unknown;
      try {
        parseChannelRequest(channel, request);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `${channel} ${JSON.stringify(request).slice(0, 60)}`).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe('INVALID_INPUT');
      expect((thrown as AppError).message).not.toContain('passwd');
    }
  });

  it('know a channel from a name the window might send (never an Object.prototype key)', () => {
    expect(isChannel('auth:sign-in')).toBe(true);
    expect(isChannel('__proto__')).toBe(false);
    expect(isChannel('toString')).toBe(false);
  });
});

describe('the handler table', () => {
  it('answers every channel with a Result, parsing first', async () => {
    const table = createHandlerTable(echo());
    expect(await table['auth:sign-in']({ id: ID })).toEqual({ ok: true, value: { id: ID } });
    const refused = await table['auth:sign-in']({ id: 1 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('turns thrown errors into data: AppError keeps code and words, anything else is INTERNAL without its message', async () => {
    const impl = echo();
    impl['profiles:list'] = async () => {
      throw new AppError('STORE_LOCKED', 'Another program is changing the profiles.');
    };
    impl['app:info'] = async () => {
      throw new Error('refresh_token=SECRET leaked in a message');
    };
    const table = createHandlerTable(impl);
    expect(await table['profiles:list']({})).toEqual({
      ok: false,
      error: { code: 'STORE_LOCKED', message: 'Another program is changing the profiles.' },
    });
    const internal = await table['app:info']({});
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('SECRET');
    expect(toWireError(new DOMException('gone', 'AbortError'))).toMatchObject({ code: 'OPERATION_CANCELLED' });
  });
});

describe('binding', () => {
  it('registers every channel once, behind the sender check, and unbinds', async () => {
    const handlers = new Map<string, (event: { trusted: boolean }, request: unknown) => Promise<unknown>>();
    const ipc = { handle: vi.fn((channel: string, fn: never) => handlers.set(channel, fn)), removeHandler: vi.fn() };
    const impl = echo();
    const spy = vi.fn(async (request: { id: string }) => request);
    impl['auth:sign-out'] = spy as unknown as Implementation['auth:sign-out'];
    const unbind = bindHandlers(
      ipc,
      createHandlerTable(impl),
      (event: { trusted: boolean }) => ({
        webContentsId: event.trusted ? 1 : 2,
        frameUrl: 'app://alicloud-signin/index.html',
        isMainFrame: true,
      }),
      (sender) => sender.webContentsId === 1,
    );
    expect([...handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    const call = handlers.get('auth:sign-out')!;
    expect(await call({ trusted: false }, { id: ID })).toMatchObject({ ok: false, error: { code: 'SENDER_REFUSED' } });
    expect(spy).not.toHaveBeenCalled();
    expect(await call({ trusted: true }, { id: ID })).toEqual({ ok: true, value: { id: ID } });
    unbind();
    expect(ipc.removeHandler).toHaveBeenCalledTimes(CHANNELS.length);
  });

  it('refuses before parsing, so an untrusted sender learns nothing about the schema', async () => {
    const table = createHandlerTable(echo());
    const refused = await guardedCall(
      table,
      'profiles:add',
      { webContentsId: 1, frameUrl: undefined, isMainFrame: true },
      { bogus: 1 },
      () => false,
    );
    expect(refused).toEqual({
      ok: false,
      error: { code: 'SENDER_REFUSED', message: 'Refused: the request did not come from the app window.' },
    });
  });

  it('forwards every event on its own channel, and stops', () => {
    const events = new EventHub();
    const sent: Array<[string, unknown]> = [];
    const stop = forwardEvents(events, (channel, payload) => sent.push([channel, payload]));
    events.emit('buckets-progress', { profileId: 'p', page: 1, received: 10, truncated: true });
    events.emit('sign-in-progress', { profileId: 'p', phase: { kind: 'exchanging' } });
    stop();
    events.emit('buckets-progress', { profileId: 'p', page: 2, received: 20, truncated: false });
    expect(sent.map(([channel]) => channel)).toEqual(['event:buckets-progress', 'event:sign-in-progress']);
  });

  it('keeps other subscribers running when one throws', () => {
    const events = new EventHub();
    const seen: number[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    events.subscribe('buckets-progress', () => {
      throw new Error('boom');
    });
    const stop = events.subscribe('buckets-progress', (p) => seen.push(p.page));
    events.emit('buckets-progress', { profileId: 'p', page: 3, received: 1, truncated: false });
    stop();
    events.emit('buckets-progress', { profileId: 'p', page: 4, received: 1, truncated: false });
    expect(seen).toEqual([3]);
    errors.mockRestore();
  });
});
