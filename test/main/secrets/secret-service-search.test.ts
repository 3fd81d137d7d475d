import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { secretServiceHas, sessionBusSocket } from '../../../main/services/secrets/secret-service-search.js';
import { removeTempDirs, tempDir } from '../../helpers/tmp.js';

// The D-Bus client `whoami` asks the Secret Service with. Against gnome-keyring it is tested in
// keyring-store.test.ts; here, buses that misbehave: each must give "cannot tell" (undefined), soon.

afterAll(removeTempDirs);

let server: Server | undefined;
afterEach(() => server?.close());

/** A unix socket whose peer does what `behave` says with each connection. */
async function fakeBus(behave: (socket: Socket) => void): Promise<NodeJS.ProcessEnv> {
  const socketPath = path.join(await tempDir('bus-'), 'bus');
  server = createServer(behave);
  await new Promise<void>((resolve) => server?.listen(socketPath, resolve));
  return { DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath}` };
}

const ask = (env: NodeJS.ProcessEnv, timeoutMs = 1000) =>
  secretServiceHas({ service: 'alicloud-signin', username: 'x' }, { timeoutMs, env });

describe('sessionBusSocket', () => {
  it('reads unix path and abstract addresses, the first usable one, unescaped', () => {
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' })).toBe('/run/user/1000/bus');
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/tmp/dbus-abc,guid=123' })).toBe(
      '\0/tmp/dbus-abc',
    );
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'tcp:host=localhost,port=1;unix:path=/a%20b' })).toBe('/a b');
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'tcp:host=localhost,port=1' })).toBeUndefined();
    expect(sessionBusSocket({})).toBeUndefined();
  });
});

describe('secretServiceHas against a bus that misbehaves', () => {
  it('no bus at all, or nobody listening: cannot tell', async () => {
    expect(await ask({})).toBeUndefined();
    expect(await ask({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' })).toBeUndefined();
  });

  it('a bus that refuses the authentication: cannot tell', async () => {
    const env = await fakeBus((socket) => socket.once('data', () => socket.write('REJECTED EXTERNAL\r\n')));
    expect(await ask(env)).toBeUndefined();
  });

  it('a bus that never answers: cannot tell, within the time given', async () => {
    const env = await fakeBus(() => undefined);
    const started = Date.now();
    expect(await ask(env, 300)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a bus that answers with garbage or hangs up mid-message: cannot tell', async () => {
    const garbage = await fakeBus((socket) =>
      socket.once('data', () => {
        socket.write('OK 0123456789abcdef0123456789abcdef\r\n');
        socket.once('data', () => socket.write(Buffer.alloc(64, 0x7a)));
      }),
    );
    expect(await ask(garbage)).toBeUndefined();
    server?.close();
    const cut = await fakeBus((socket) =>
      socket.once('data', () => {
        socket.write('OK 0123456789abcdef0123456789abcdef\r\n');
        socket.once('data', () => socket.end(Buffer.from([0x6c, 2, 0, 1, 8, 0, 0, 0])));
      }),
    );
    expect(await ask(cut)).toBeUndefined();
  });

  it('sends the EXTERNAL authentication for this uid, a NUL byte first', async () => {
    let first = '';
    const env = await fakeBus((socket) =>
      socket.once('data', (chunk: Buffer) => {
        first = chunk.toString('latin1');
        socket.destroy();
      }),
    );
    await ask(env);
    const uid = String(process.getuid?.() ?? '');
    expect(first).toBe(`\0AUTH EXTERNAL ${Buffer.from(uid).toString('hex')}\r\n`);
  });
});
