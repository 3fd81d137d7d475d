import type { BrokerCredentials } from '../broker/client.js';
import type { StsCredentials } from '../oss/types.js';
import { StsService, type StsRequestOptions, type StsServiceDeps } from '../sts/sts-service.js';

/** Asks the broker this process attached to; undefined: do the work here. */
export type BrokerAsk = (profileId: string) => Promise<BrokerCredentials | undefined>;

/**
 * The app's StsService: while another process is the broker, credentials come from it, so the
 * refresh tokens keep one owner; otherwise (this process is the broker, or the broker will not
 * serve the profile) it exchanges itself, as the broker does, under the refresh lock. A forced
 * renewal (OSS called the keys expired) is always done here: the broker would hand back the same.
 */
export class BrokeredSts extends StsService {
  readonly #ask: BrokerAsk;
  /** When the keys the broker gave run out, per profile (for the expiry notices). */
  readonly #fromBroker = new Map<string, number>();

  constructor(deps: StsServiceDeps, ask: BrokerAsk) {
    super(deps);
    this.#ask = ask;
  }

  override async credentials(profileId: string, options: StsRequestOptions = {}): Promise<StsCredentials> {
    options.signal?.throwIfAborted();
    if (!options.forceRenew) {
      const answer = await this.#ask(profileId);
      if (answer) {
        this.#fromBroker.set(profileId, answer.credentials.expiration.getTime());
        return answer.credentials;
      }
    }
    return super.credentials(profileId, options);
  }

  override validFor(profileId: string): number | undefined {
    const own = super.validFor(profileId);
    if (own !== undefined) return own;
    const until = this.#fromBroker.get(profileId);
    return until === undefined ? undefined : until - Date.now();
  }

  override forget(profileId: string): void {
    super.forget(profileId);
    this.#fromBroker.delete(profileId);
  }
}
