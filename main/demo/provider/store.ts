/**
 * oidc-provider's storage adapter, in memory and private to one demo provider (its bundled one
 * shares an LRU of 1,000 entries and warns at start). Entries outlive their expiry by a grace
 * period so `/v1/exchange` can still find an expired access token and say "expired", not "unknown".
 */

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };

interface Entry {
  payload: Payload;
  /** ms since epoch; Infinity when the model has no expiry. */
  keepUntil: number;
  /** A token or code that dies with its grant. */
  member: boolean;
}

const GRACE_MS = 5 * 60 * 1000;
const GRANT_MEMBERS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);
const SWEEP_EVERY = 500;

export class DemoStore {
  readonly #entries = new Map<string, Entry>();
  readonly #byGrant = new Map<string, Set<string>>();
  readonly #byUid = new Map<string, string>();
  readonly #byUserCode = new Map<string, string>();
  #writes = 0;

  /** The `adapter` option: oidc-provider calls it once per model name. */
  readonly adapterFactory = (model: string): DemoAdapter => new DemoAdapter(this, model);

  get(key: string): Payload | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.keepUntil <= Date.now()) {
      this.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: Payload, expiresIn: number | undefined): void {
    this.delete(key);
    const keepUntil = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 + GRACE_MS : Infinity;
    const member = GRANT_MEMBERS.has(key.slice(0, key.indexOf(':')));
    this.#entries.set(key, { payload, keepUntil, member });
    if (member && payload.grantId) {
      let members = this.#byGrant.get(payload.grantId);
      if (!members) this.#byGrant.set(payload.grantId, (members = new Set()));
      members.add(key);
    }
    if (typeof payload.uid === 'string' && key.startsWith('Session:')) this.#byUid.set(payload.uid, key);
    if (typeof payload.userCode === 'string') this.#byUserCode.set(payload.userCode, key);
    if (++this.#writes % SWEEP_EVERY === 0) this.#sweep();
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    const { grantId, uid, userCode } = entry.payload;
    if (entry.member && grantId) {
      const members = this.#byGrant.get(grantId);
      members?.delete(key);
      if (members?.size === 0) this.#byGrant.delete(grantId);
    }
    if (typeof uid === 'string' && this.#byUid.get(uid) === key) this.#byUid.delete(uid);
    if (typeof userCode === 'string' && this.#byUserCode.get(userCode) === key) this.#byUserCode.delete(userCode);
  }

  keyByUid(uid: string): string | undefined {
    return this.#byUid.get(uid);
  }

  keyByUserCode(userCode: string): string | undefined {
    return this.#byUserCode.get(userCode);
  }

  deleteGrantMembers(grantId: string): void {
    for (const key of [...(this.#byGrant.get(grantId) ?? [])]) this.delete(key);
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.keepUntil <= now) this.delete(key);
  }
}

class DemoAdapter {
  readonly #store: DemoStore;
  readonly #model: string;

  constructor(store: DemoStore, model: string) {
    this.#store = store;
    this.#model = model;
  }

  #key(id: string): string {
    return `${this.#model}:${id}`;
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    this.#store.set(this.#key(id), { ...payload }, expiresIn);
  }

  async find(id: string): Promise<Payload | undefined> {
    return copy(this.#store.get(this.#key(id)));
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    const key = this.#store.keyByUid(uid);
    return key ? copy(this.#store.get(key)) : undefined;
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    const key = this.#store.keyByUserCode(userCode);
    return key ? copy(this.#store.get(key)) : undefined;
  }

  async consume(id: string): Promise<void> {
    const payload = this.#store.get(this.#key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.#store.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    // Every model's adapter may be asked; one call removes all of the grant's tokens.
    this.#store.deleteGrantMembers(grantId);
  }
}

function copy(payload: Payload | undefined): Payload | undefined {
  return payload ? { ...payload } : undefined;
}
