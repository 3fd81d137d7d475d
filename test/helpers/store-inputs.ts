import type { NewProfile } from '../../main/services/store/profile-store.js';

/** A minimal cn profile for the store's tests, with `extra` over it. */
export function profileInput(name: string, extra: Partial<NewProfile> = {}): NewProfile {
  return {
    name,
    site: 'cn',
    region: 'cn-hangzhou',
    client: { clientId: 'client-1', redirect: { kind: 'loopback', ports: 0, callbackPath: '/callback' } },
    ...extra,
  };
}
