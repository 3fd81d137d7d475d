import { request } from 'node:http';
import type { Server } from 'node:net';
import { close, occupyConsecutivePorts } from '../../helpers/ports.js';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/services/core/errors.js';
import { startLoopbackReceiver, type LoopbackReceiver } from '../../../main/services/auth/loopback.js';

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function call(
  port: number,
  path: string,
  init: { method?: string; host?: string; lang?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: init.method ?? 'GET',
        headers: { host: init.host ?? `127.0.0.1:${port}`, ...(init.lang ? { 'accept-language': init.lang } : {}) },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const receivers: LoopbackReceiver[] = [];
const blockers: Server[] = [];
afterEach(async () => {
  receivers.splice(0).forEach((r) => r.close());
  await Promise.all(blockers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function start(
  state = 'expected-state',
  ports: 0 | { from: number; to: number } = 0,
  onStray?: (reason: string) => void,
) {
  const receiver = await startLoopbackReceiver({
    ports,
    callbackPath: '/cli/callback',
    expectedState: state,
    ...(onStray ? { onStray } : {}),
  });
  receivers.push(receiver);
  return receiver;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe('loopback receiver', () => {
  it('binds 127.0.0.1 before it reports the redirect URI, and takes one callback', async () => {
    const receiver = await start();
    expect(receiver.redirectUri).toBe(`http://127.0.0.1:${receiver.port}/cli/callback`);
    const answer = await call(receiver.port, '/cli/callback?code=the-code&state=expected-state');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('close this tab');
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    await expect(receiver.answer).resolves.toMatchObject({ kind: 'code', code: 'the-code' });
    // Closed as soon as it had its answer: nothing listens any more.
    await expect(call(receiver.port, '/cli/callback?code=x&state=expected-state')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('answers in Chinese for a zh browser', async () => {
    const receiver = await start();
    const answer = await call(receiver.port, '/cli/callback?code=c&state=expected-state', {
      lang: 'zh-CN,zh;q=0.9,en;q=0.8',
    });
    expect(answer.body).toContain('登录成功');
  });

  it('refuses other paths, other methods and a foreign Host, and keeps waiting', async () => {
    const receiver = await start();
    expect((await call(receiver.port, '/favicon.ico')).status).toBe(404);
    expect((await call(receiver.port, '/cli/callback?code=c&state=expected-state', { method: 'POST' })).status).toBe(
      405,
    );
    expect(
      (await call(receiver.port, '/cli/callback?code=c&state=expected-state', { host: 'evil.example:80' })).status,
    ).toBe(421);
    expect(
      (await call(receiver.port, '/cli/callback?code=c&state=expected-state', { host: `localhost:${receiver.port}` }))
        .status,
    ).toBe(421);
    const ok = await call(receiver.port, '/cli/callback?code=c&state=expected-state');
    expect(ok.status).toBe(200);
    await expect(receiver.answer).resolves.toMatchObject({ code: 'c' });
  });

  it('refuses a second callback that races the first on another connection', async () => {
    const receiver = await start();
    const [first, second] = await Promise.allSettled([
      call(receiver.port, '/cli/callback?code=one&state=expected-state'),
      call(receiver.port, '/cli/callback?code=two&state=expected-state'),
    ]);
    const statuses = [first, second].map((r) => (r.status === 'fulfilled' ? r.value.status : 'refused'));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.some((s) => s === 409 || s === 'refused')).toBe(true);
    await expect(receiver.answer).resolves.toMatchObject({ kind: 'code' });
  });

  it.each([
    ['a state mismatch', '/cli/callback?code=c&state=forged'],
    ['no state', '/cli/callback?code=c'],
    ['an error without the state', '/cli/callback?error=access_denied'],
    ['a malformed callback', '/cli/callback?nothing=here'],
    ['a repeated code', '/cli/callback?code=a&code=b&state=expected-state'],
  ])('refuses %s with a 400 page, reports it and keeps waiting for the real answer', async (_, path) => {
    const strays: string[] = [];
    const receiver = await start('expected-state', 0, (reason) => strays.push(reason));
    const stray = await call(receiver.port, path);
    expect(stray.status).toBe(400);
    expect(strays).toHaveLength(1);
    const real = await call(receiver.port, '/cli/callback?code=real&state=expected-state');
    expect(real.status).toBe(200);
    await expect(receiver.answer).resolves.toMatchObject({ kind: 'code', code: 'real' });
  });

  it.each([
    ['a refusal', '/cli/callback?error=access_denied&error_description=no&state=expected-state', 'ACCESS_DENIED'],
    ['another error', '/cli/callback?error=server_error&state=expected-state', 'AUTH_ERROR'],
  ])('ends the sign-in with a coded error on %s carrying the state', async (_, path, code) => {
    const receiver = await start();
    const answer = await call(receiver.port, path);
    expect(answer.status).toBe(400);
    expect(await codeOf(receiver.answer)).toBe(code);
  });

  it('takes the next port of the range when one is busy, and says PORTS_IN_USE when all are', async () => {
    const { base, servers } = await occupyConsecutivePorts(2);
    await close(servers[1] as Server); // base stays busy, base + 1 is free
    blockers.push(servers[0] as Server);
    const receiver = await start('s', { from: base, to: base + 1 });
    expect(receiver.port).toBe(base + 1);
    await expect(start('s', { from: base, to: base + 1 })).rejects.toMatchObject({ code: 'PORTS_IN_USE' });
  });

  it('says SIGNIN_CANCELLED when closed without an answer', async () => {
    const receiver = await start();
    receiver.close();
    expect(await codeOf(receiver.answer)).toBe('SIGNIN_CANCELLED');
  });
});
