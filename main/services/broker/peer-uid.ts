import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import os from 'node:os';

/*
 * Who is on the other end of a loopback TCP connection, on Linux. /proc/net/tcp (and tcp6) list
 * every TCP socket of the network namespace with the uid that created it; the client's end of
 * our connection is the line whose local address is the connection's remote address and whose
 * remote address is ours. Addresses are hex: an IPv4 address is its four bytes read as one
 * host-order 32-bit number (`127.0.0.1` is `0100007F` on little-endian machines), the port plain
 * hex; an IPv6 address is four such words. A client on a dual-stack IPv6 socket that dialled
 * 127.0.0.1 shows up in tcp6 under `::ffff:127.0.0.1`.
 */

export interface Endpoints {
  /** The connection's remote end: the client's own address and port. */
  clientAddress: string;
  clientPort: number;
  /** Our end. */
  serverAddress: string;
  serverPort: number;
}

const LITTLE_ENDIAN = os.endianness() === 'LE';

/** An IPv4 address as /proc/net writes it, or undefined for anything else. */
export function procIpv4(address: string, littleEndian = LITTLE_ENDIAN): string | undefined {
  const bare = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (!isIPv4(bare)) return undefined;
  const bytes = bare.split('.').map(Number);
  return (littleEndian ? bytes.reverse() : bytes)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

function procPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

/** The `local remote` pair of columns that the client's socket has, in tcp and in tcp6. */
export function clientKeys(e: Endpoints, littleEndian = LITTLE_ENDIAN): { tcp: string; tcp6: string } | undefined {
  const client = procIpv4(e.clientAddress, littleEndian);
  const server = procIpv4(e.serverAddress, littleEndian);
  if (!client || !server) return undefined;
  const mapped = (v4: string) => `0000000000000000${littleEndian ? 'FFFF0000' : '0000FFFF'}${v4}`;
  const cp = procPort(e.clientPort);
  const sp = procPort(e.serverPort);
  return { tcp: `${client}:${cp} ${server}:${sp}`, tcp6: `${mapped(client)}:${cp} ${mapped(server)}:${sp}` };
}

/**
 * The uid on each line of a /proc/net/tcp{,6} text, for the keys asked for. A line with inode 0
 * is not a socket anyone holds (TIME_WAIT, an orphan closing down; the kernel prints uid 0 for
 * those): it counts as no answer, so it can never pass for root.
 */
export function uidsFromProcNet(text: string, keys: ReadonlySet<string>): Map<string, number> {
  const found = new Map<string, number>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    // `   0: 0100007F:D2A4 0100007F:1EC6 01 00000000:00000000 00:00000000 00000000  1000 0 12345 ...`
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const key = `${fields[1]} ${fields[2]}`;
    if (!keys.has(key) || fields[9] === '0') continue;
    const uid = Number(fields[7]);
    if (Number.isInteger(uid) && uid >= 0) found.set(key, uid);
  }
  return found;
}

interface Waiting {
  keys: { tcp: string; tcp6: string };
  resolve: (uid: number | undefined) => void;
  reads: number;
}

/**
 * Looks up the uid of many connections' clients with few reads: lookups that arrive while a read
 * runs wait for the next one, which serves them all (a storm of a thousand connections costs a
 * handful of reads, not a thousand). A client not found gets a second read, then undefined.
 */
export class PeerUids {
  readonly #files: { tcp: string; tcp6: string };
  #queue: Waiting[] = [];
  #reading = false;

  constructor(files = { tcp: '/proc/net/tcp', tcp6: '/proc/net/tcp6' }) {
    this.#files = files;
  }

  /** The uid owning the client's socket, or undefined when it cannot be told. */
  lookup(endpoints: Endpoints): Promise<number | undefined> {
    const keys = clientKeys(endpoints);
    if (!keys) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#queue.push({ keys, resolve, reads: 0 });
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#reading || this.#queue.length === 0) return;
    this.#reading = true;
    const batch = this.#queue;
    this.#queue = [];
    void this.#read(batch).finally(() => {
      this.#reading = false;
      this.#pump();
    });
  }

  async #read(batch: Waiting[]): Promise<void> {
    const found = uidsFromProcNet(await readProc(this.#files.tcp), new Set(batch.map((w) => w.keys.tcp)));
    const rest = batch.filter((w) => !found.has(w.keys.tcp));
    const found6 = rest.length
      ? uidsFromProcNet(await readProc(this.#files.tcp6), new Set(rest.map((w) => w.keys.tcp6)))
      : new Map<string, number>();
    for (const waiting of batch) {
      const uid = found.get(waiting.keys.tcp) ?? found6.get(waiting.keys.tcp6);
      waiting.reads += 1;
      if (uid !== undefined || waiting.reads >= 2) waiting.resolve(uid);
      else this.#queue.push(waiting);
    }
  }
}

function readProc(file: string): Promise<string> {
  return readFile(file, 'latin1').catch(() => '');
}

/** Whether this platform lists socket owners where we can read them. */
export function canLookUpPeers(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux';
}
