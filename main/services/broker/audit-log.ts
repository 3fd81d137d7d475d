import { appendFile, chmod, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir } from '../core/paths.js';

/** How credentials were asked for: the URI server, `credentials` (External mode) or its other formats. */
export type AuditMode = 'CredentialsURI' | 'External' | 'Local';
/** `refused-uid`: a CredentialsURI request from another local user's program (Linux). */
export type AuditOutcome = 'ok' | 'refused' | 'refused-uid' | 'error';

/** One line of the audit log. It never holds a secret, a URL or a request header. */
export interface AuditEntry {
  /** ISO time of the first request this line counts. */
  time: string;
  /** Profile name (or id when the name is unknown); null when the request named none. */
  profile: string | null;
  mode: AuditMode;
  outcome: AuditOutcome;
  /** Why it was refused (`wrong-secret`, `origin`, ...) or the error code. */
  reason?: string;
  /** For `refused-uid`: the uid of the program that asked. */
  uid?: number;
  /** Identical requests within one flush interval share a line. */
  count: number;
  /** ISO time of the last request counted, when count > 1. */
  last?: string;
}

export interface AuditLogOptions {
  /** The log rotates to `<name>.1.jsonl` past this size (default 1 MiB), so at most twice this is kept. */
  maxBytes?: number;
  /** Lines are written this often (default 250 ms); identical requests in between share a line. */
  flushMs?: number;
  now?: () => number;
}

/**
 * An append-only JSONL log, bounded in size by rotation. Appends are batched and identical
 * requests coalesced, so a storm of a thousand requests costs a line or two, not a thousand writes.
 */
export class AuditLog {
  readonly file: string;
  readonly #maxBytes: number;
  readonly #flushMs: number;
  readonly #now: () => number;
  readonly #pending = new Map<string, Pending>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string, options: AuditLogOptions = {}) {
    this.file = file;
    this.#maxBytes = options.maxBytes ?? 1024 * 1024;
    this.#flushMs = options.flushMs ?? 250;
    this.#now = options.now ?? Date.now;
  }

  record(event: {
    profile: string | null;
    mode: AuditMode;
    outcome: AuditOutcome;
    reason?: string | undefined;
    uid?: number | undefined;
  }): void {
    // Called on every request: only a lookup and a counter here; the line is built at flush.
    const key = `${event.profile ?? ''}\u0000${event.mode}\u0000${event.outcome}\u0000${event.reason ?? ''}\u0000${event.uid ?? ''}`;
    const at = this.#now();
    const held = this.#pending.get(key);
    if (held) {
      held.count += 1;
      held.last = at;
    } else {
      this.#pending.set(key, { ...event, first: at, last: at, count: 1 });
    }
    this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs).unref();
  }

  /** Writes what is pending; resolves when it is on disk. Errors are swallowed (auditing never breaks serving). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const entries = [...this.#pending.values()].map(toEntry);
    this.#pending.clear();
    if (entries.length > 0) {
      const text = entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n';
      this.#writing = this.#writing.then(() => this.#append(text)).catch(() => undefined);
    }
    return this.#writing;
  }

  async #append(text: string): Promise<void> {
    await ensurePrivateDir(path.dirname(this.file));
    const size = await stat(this.file).then(
      (info) => info.size,
      () => 0,
    );
    if (size > 0 && size + Buffer.byteLength(text) > this.#maxBytes) await rename(this.file, rotatedFile(this.file));
    await appendFile(this.file, text, { mode: 0o600 });
    if (size === 0 && process.platform !== 'win32') await chmod(this.file, 0o600);
  }
}

interface Pending {
  profile: string | null;
  mode: AuditMode;
  outcome: AuditOutcome;
  reason?: string | undefined;
  uid?: number | undefined;
  first: number;
  last: number;
  count: number;
}

function toEntry(p: Pending): AuditEntry {
  return {
    time: new Date(p.first).toISOString(),
    profile: p.profile,
    mode: p.mode,
    outcome: p.outcome,
    ...(p.reason ? { reason: p.reason } : {}),
    ...(p.uid !== undefined ? { uid: p.uid } : {}),
    count: p.count,
    ...(p.count > 1 ? { last: new Date(p.last).toISOString() } : {}),
  };
}

/** The previous log: `audit.jsonl` -> `audit.1.jsonl`. */
export function rotatedFile(file: string): string {
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}.1${ext}`;
}

/** The last `limit` entries, oldest first, from the rotated log and the current one. Bad lines are skipped. */
export async function readAudit(file: string, limit = 100): Promise<AuditEntry[]> {
  const texts = await Promise.all([rotatedFile(file), file].map((f) => readFile(f, 'utf8').catch(() => '')));
  const entries: AuditEntry[] = [];
  for (const line of texts.join('\n').split('\n')) {
    const entry = parseEntry(line);
    if (entry) entries.push(entry);
  }
  return entries.slice(Math.max(0, entries.length - limit));
}

function parseEntry(line: string): AuditEntry | undefined {
  if (!line.trim()) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (!value || typeof value !== 'object') return undefined;
    const e = value as Record<string, unknown>;
    if (typeof e.time !== 'string' || typeof e.mode !== 'string' || typeof e.outcome !== 'string') return undefined;
    return {
      time: e.time,
      profile: typeof e.profile === 'string' ? e.profile : null,
      mode: e.mode as AuditMode,
      outcome: e.outcome as AuditOutcome,
      ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
      ...(typeof e.uid === 'number' ? { uid: e.uid } : {}),
      count: typeof e.count === 'number' && e.count > 0 ? e.count : 1,
      ...(typeof e.last === 'string' ? { last: e.last } : {}),
    };
  } catch {
    return undefined;
  }
}
