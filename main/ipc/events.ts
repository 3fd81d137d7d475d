import type { EventName, Events } from '../../shared/contract.js';

type Listener<E extends EventName> = (payload: Events[E]) => void;

/** Typed events for every transport: the shell forwards them to its windows, the bridge to its socket. */
export class EventHub {
  readonly #listeners = new Map<EventName, Set<(payload: never) => void>>();

  subscribe<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<E>)(payload);
      } catch (error) {
        // One broken subscriber must not stop the others (or the operation that emitted).
        console.error(`event ${event}: a listener failed: ${error instanceof Error ? error.name : 'error'}`);
      }
    }
  }
}
