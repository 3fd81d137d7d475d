import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';

/*
 * Asks the Secret Service (over the D-Bus session bus) whether it holds an item, without reading
 * the secret: `SearchItems` lists locked items too and never prompts, so `whoami` can say whether
 * a refresh token is stored without unlocking the keychain, loading the native binding, or
 * starting the CLI's keychain helper (a second Node process). A few hundred bytes on a socket of
 * this process: if the bus never answers, the socket is closed and nothing keeps the process alive.
 *
 * Only what this one call needs of the D-Bus wire protocol: the EXTERNAL authentication, and the
 * marshalling of a method call with an `a{ss}` argument and of its `(ao, ao)` answer.
 */

/** Message types and header field codes (D-Bus specification, "Message Format"). */
const METHOD_CALL = 1;
const METHOD_RETURN = 2;
const ERROR = 3;
const FIELD = { path: 1, interface: 2, member: 3, replySerial: 5, destination: 6, signature: 8 } as const;

/** Builds a little-endian message body or header, aligning as the specification says. */
class Writer {
  private bytes: number[] = [];

  get length(): number {
    return this.bytes.length;
  }

  align(n: number): this {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
    return this;
  }

  byte(value: number): this {
    this.bytes.push(value & 0xff);
    return this;
  }

  uint32(value: number): this {
    this.align(4);
    this.bytes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
    return this;
  }

  setUint32(at: number, value: number): void {
    this.bytes.splice(at, 4, value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  }

  /** `s` and `o`: a length, UTF-8 bytes, a NUL. */
  string(value: string): this {
    const utf8 = Buffer.from(value, 'utf8');
    this.uint32(utf8.length);
    this.bytes.push(...utf8, 0);
    return this;
  }

  /** `g`: a one-byte length, the signature, a NUL. */
  signature(value: string): this {
    this.bytes.push(value.length, ...Buffer.from(value, 'ascii'), 0);
    return this;
  }

  /** An array: its byte length (padding before the first element excluded), then the elements. */
  array(elementAlign: number, write: () => void): this {
    this.uint32(0);
    const lengthAt = this.bytes.length - 4;
    this.align(elementAlign);
    const start = this.bytes.length;
    write();
    this.setUint32(lengthAt, this.bytes.length - start);
    return this;
  }

  buffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

interface Call {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: Buffer;
}

function methodCall(serial: number, call: Call): Buffer {
  const body = call.body ?? Buffer.alloc(0);
  const header = new Writer().byte(0x6c /* l: little-endian */).byte(METHOD_CALL).byte(0).byte(1);
  header.uint32(body.length).uint32(serial);
  const field = (code: number, type: string, write: (w: Writer) => void) => {
    header.align(8).byte(code).signature(type);
    write(header);
  };
  header.array(8, () => {
    field(FIELD.path, 'o', (w) => w.string(call.path));
    field(FIELD.interface, 's', (w) => w.string(call.interface));
    field(FIELD.member, 's', (w) => w.string(call.member));
    field(FIELD.destination, 's', (w) => w.string(call.destination));
    if (call.signature) field(FIELD.signature, 'g', (w) => w.signature(call.signature ?? ''));
  });
  header.align(8);
  return Buffer.concat([header.buffer(), body]);
}

/** The `a{ss}` argument of SearchItems. */
function attributesBody(attributes: Record<string, string>): Buffer {
  const body = new Writer();
  body.array(8, () => {
    for (const [key, value] of Object.entries(attributes)) body.align(8).string(key).string(value);
  });
  return body.buffer();
}

interface Reply {
  type: number;
  replySerial: number | undefined;
  body: Buffer;
  littleEndian: boolean;
}

/** The first whole message in `data`, and how many bytes it took; undefined until one has arrived. */
function readMessage(data: Buffer): { reply: Reply; size: number } | undefined {
  if (data.length < 16) return undefined;
  const littleEndian = data[0] === 0x6c;
  if (!littleEndian && data[0] !== 0x42) throw new Error('not a D-Bus message');
  const u32 = (at: number) => (littleEndian ? data.readUInt32LE(at) : data.readUInt32BE(at));
  const bodyLength = u32(4);
  const fieldsLength = u32(12);
  const bodyStart = Math.ceil((16 + fieldsLength) / 8) * 8;
  const size = bodyStart + bodyLength;
  if (size > 1 << 20) throw new Error('a D-Bus message too large for this client');
  if (data.length < size) return undefined;
  let replySerial: number | undefined;
  let at = 16;
  while (at < 16 + fieldsLength) {
    at = Math.ceil(at / 8) * 8;
    const code = data[at] ?? 0;
    const sigLength = data[at + 1] ?? 0;
    const type = data.toString('ascii', at + 2, at + 2 + sigLength);
    at += 3 + sigLength;
    if (type === 'u' || type === 's' || type === 'o') {
      at = Math.ceil(at / 4) * 4;
      const value = u32(at);
      if (code === FIELD.replySerial && type === 'u') replySerial = value;
      at += type === 'u' ? 4 : 4 + value + 1;
    } else if (type === 'g') {
      at += 1 + (data[at] ?? 0) + 1;
    } else {
      throw new Error(`an unexpected header field type ${type}`);
    }
  }
  return { reply: { type: data[1] ?? 0, replySerial, body: data.subarray(bodyStart, size), littleEndian }, size };
}

/** The unix socket of the session bus (`unix:path=` or `unix:abstract=`), as libdbus finds it. */
export function sessionBusSocket(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) {
    const runtime = env.XDG_RUNTIME_DIR;
    return runtime && existsSync(`${runtime}/bus`) ? `${runtime}/bus` : undefined;
  }
  for (const entry of address.split(';')) {
    const [transport, params = ''] = entry.split(/:(.*)/s);
    if (transport !== 'unix') continue;
    const values = new Map(
      params.split(',').map((pair) => {
        const [key = '', value = ''] = pair.split(/=(.*)/s);
        return [key, decodeURIComponent(value)];
      }),
    );
    const path = values.get('path');
    if (path) return path;
    const abstract = values.get('abstract');
    if (abstract) return `\0${abstract}`;
  }
  return undefined;
}

/**
 * Whether the Secret Service holds an item with exactly these attributes (locked or not).
 * Undefined when it cannot be asked: no session bus, no Secret Service, a refusal, or no answer
 * within `timeoutMs`. Never reads a secret, never prompts.
 */
export async function secretServiceHas(
  attributes: Record<string, string>,
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<boolean | undefined> {
  const socketPath = sessionBusSocket(options.env);
  if (!socketPath || typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  const hello = methodCall(1, {
    destination: 'org.freedesktop.DBus',
    path: '/org/freedesktop/DBus',
    interface: 'org.freedesktop.DBus',
    member: 'Hello',
  });
  const search = methodCall(2, {
    destination: 'org.freedesktop.secrets',
    path: '/org/freedesktop/secrets',
    interface: 'org.freedesktop.Secret.Service',
    member: 'SearchItems',
    signature: 'a{ss}',
    body: attributesBody(attributes),
  });

  return new Promise((resolve) => {
    const socket = createConnection({ path: socketPath });
    let settled = false;
    const finish = (result: boolean | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(undefined), options.timeoutMs);
    let authenticated = false;
    let pending = Buffer.alloc(0);
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('connect', () => {
      const id = Buffer.from(String(uid), 'ascii').toString('hex');
      socket.write(`\0AUTH EXTERNAL ${id}\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      try {
        if (!authenticated) {
          const end = pending.indexOf('\r\n');
          if (end < 0) return;
          const line = pending.toString('ascii', 0, end);
          pending = pending.subarray(end + 2);
          if (!line.startsWith('OK ')) return finish(undefined);
          authenticated = true;
          socket.write(Buffer.concat([Buffer.from('BEGIN\r\n', 'ascii'), hello, search]));
        }
        for (let message = readMessage(pending); message; message = readMessage(pending)) {
          pending = pending.subarray(message.size);
          const { reply } = message;
          if (reply.replySerial !== 2) continue; // Hello's answer, the NameAcquired signal
          if (reply.type === ERROR || reply.type !== METHOD_RETURN || reply.body.length < 8) return finish(undefined);
          const u32 = (at: number) => (reply.littleEndian ? reply.body.readUInt32LE(at) : reply.body.readUInt32BE(at));
          // (ao unlocked, ao locked): a non-empty first array, or else a non-empty second one.
          const unlocked = u32(0);
          if (unlocked > 0) return finish(true);
          return finish(u32(4) > 0);
        }
      } catch {
        finish(undefined);
      }
    });
  });
}
