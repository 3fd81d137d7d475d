import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** The three calls KeyringSecretStore makes on an entry (AsyncEntry has this shape too). */
export interface NativeEntry {
  getPassword(signal?: AbortSignal | null): Promise<string | null>;
  setPassword(secret: string, signal?: AbortSignal | null): Promise<void>;
  deletePassword(signal?: AbortSignal | null): Promise<boolean>;
}

/**
 * The helper's program, run with `node -e` (CommonJS: it starts about 40 ms sooner than an ES
 * module): one AsyncEntry per account, one JSON line per request and per answer. Secrets travel
 * over its stdin/stdout pipes only (never its arguments); an error answer carries the keyring
 * library's message, which never holds the secret.
 */
const PROGRAM = `
const { createInterface } = require('node:readline');
const reply = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
let AsyncEntry;
try {
  ({ AsyncEntry } = require(process.argv[1]));
} catch {
  AsyncEntry = undefined;
}
reply({ ready: true });
const service = process.argv[2];
const entries = new Map();
createInterface({ input: process.stdin }).on('line', async (line) => {
  let request;
  try { request = JSON.parse(line); } catch { return; }
  const { id, op, account, secret } = request;
  try {
    if (!AsyncEntry) throw new Error('the keyring native binding did not load');
    let entry = entries.get(account);
    if (!entry) {
      entry = new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
      entries.set(account, entry);
    }
    const value = op === 'get' ? await entry.getPassword() : op === 'set' ? await entry.setPassword(secret) : await entry.deletePassword();
    reply({ id, ok: true, value: value ?? null });
  } catch (error) {
    reply({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
`;

type Op = 'get' | 'set' | 'delete';
interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}
type Helper = ChildProcessByStdio<Writable, Readable, null>;

/**
 * Runs the native keychain calls in a child Node process. A call waiting on an unlock prompt that
 * nobody answers then ties up that process, not this one: in-process, such a call holds a libuv
 * worker thread, and Node joins those threads at exit, so not even process.exit() ends the
 * process until the prompt does. The child and its pipes are unreferenced (they never keep this
 * process alive; a waiting caller's own timer does) and the child is killed when this process exits.
 */
export class KeychainHelper {
  readonly #service: string;
  #child: Helper | undefined;
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  #ready: Promise<void> | undefined;
  #onReady: (() => void) | undefined;

  constructor(service: string) {
    this.#service = service;
  }

  /** Starts the child now, so that it loads while the caller does other work. */
  start(): void {
    if (this.#child) return;
    const modulePath = createRequire(import.meta.url).resolve('@napi-rs/keyring');
    const child = spawn(process.execPath, ['-e', PROGRAM, modulePath, this.#service], {
      stdio: ['pipe', 'pipe', 'ignore'],
      windowsHide: true,
    });
    this.#child = child;
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#onReady = resolve;
      child.once('exit', () => reject(new Error('the keychain helper process ended (platform failure)')));
    });
    this.#ready.catch(() => undefined); // a caller that waits for it sees the failure
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    child.once('exit', () => {
      process.off('exit', kill);
      if (this.#child === child) this.#child = undefined;
      this.#failAll(new Error('the keychain helper process ended (platform failure)'));
    });
    child.once('error', () => undefined); // 'exit' follows, or the pending calls time out
    child.stdin.on('error', () => undefined);
    createInterface({ input: child.stdout }).on('line', (line) => this.#answer(line));
    child.unref();
    unref(child.stdin);
    unref(child.stdout);
  }

  /**
   * Settles once the child has loaded the keyring library and reads requests: its start-up (a
   * Node process, slow on a loaded machine) should not count against a call's own deadline.
   */
  ready(): Promise<void> {
    this.start();
    return this.#ready as Promise<void>;
  }

  entry(account: string): NativeEntry {
    return {
      getPassword: (signal) => this.#call('get', account, undefined, signal) as Promise<string | null>,
      setPassword: async (secret, signal) => void (await this.#call('set', account, secret, signal)),
      deletePassword: (signal) => this.#call('delete', account, undefined, signal) as Promise<boolean>,
    };
  }

  #call(op: Op, account: string, secret: string | undefined, signal: AbortSignal | null | undefined): Promise<unknown> {
    signal?.throwIfAborted();
    this.start();
    const child = this.#child as Helper;
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, op, account, ...(secret !== undefined ? { secret } : {}) })}\n`);
    });
  }

  #answer(line: string): void {
    let message: { id?: unknown; ok?: unknown; value?: unknown; message?: unknown; ready?: unknown };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      return;
    }
    if (message.ready === true) return this.#onReady?.();
    const pending = typeof message.id === 'number' ? this.#pending.get(message.id) : undefined;
    if (!pending) return;
    this.#pending.delete(message.id as number);
    if (message.ok === true) pending.resolve(message.value);
    else pending.reject(new Error(typeof message.message === 'string' ? message.message : 'keychain call failed'));
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

const helpers = new Map<string, KeychainHelper>();

/** The one helper of this process for a keychain service (each holds its D-Bus connections). */
export function sharedKeychainHelper(service: string): KeychainHelper {
  let helper = helpers.get(service);
  if (!helper) {
    helper = new KeychainHelper(service);
    helpers.set(service, helper);
  }
  return helper;
}

function unref(stream: unknown): void {
  (stream as { unref?: () => void }).unref?.();
}
