import { AppError } from '../services/core/errors.js';
import type { Services } from '../services/context.js';

/**
 * What a command uses of the services. `none`: only the data dir; `profiles`: the profile file only; `local`: that, the
 * keychain and the clock file (nothing that reaches the network); `all`: everything
 * `createServices` wires (the OIDC client, undici, STS).
 */
export type ServiceNeeds = 'none' | 'profiles' | 'local' | 'all';

/**
 * The services a command needs, loading only their modules: `profile list` should cost little
 * more than starting Node, and the OIDC client and undici alone take longer than that. A part a
 * command did not declare throws INTERNAL when touched, so a wrong declaration fails loudly in
 * the CLI tests rather than quietly loading everything.
 */
export async function loadServices(needs: ServiceNeeds, env: NodeJS.ProcessEnv = process.env): Promise<Services> {
  if (needs === 'all') return (await import('../services/context.js')).createServices({ env });
  const [paths, store, keyring, clock] = await Promise.all([
    import('../services/core/paths.js'),
    needs !== 'none' ? import('../services/store/profile-store.js') : undefined,
    needs === 'local' ? import('../services/secrets/keyring-store.js') : undefined,
    needs === 'local' ? import('../services/clock/clock-file.js') : undefined,
  ]);
  const dataDir = paths.dataDir(env);
  const parts: Partial<Services> = { dataDir };
  if (store) parts.store = new store.ProfileStore(dataDir);
  if (keyring) parts.secrets = new keyring.KeyringSecretStore();
  if (clock) parts.clockFile = new clock.ClockFile(dataDir);
  return new Proxy(parts as Services, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target) && key !== 'then') {
        throw new AppError('INTERNAL', `This command did not load the "${key}" service.`);
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}
