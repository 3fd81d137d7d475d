import { AppError } from '../core/errors.js';
import type { Profile } from '../profiles/schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { brokerRequest, reachBroker } from './client.js';
import { brokerPort } from './settings.js';
import { credentialsUri } from './uri-request.js';
import { UriSecrets, uriSecretAccount } from './uri-secrets.js';

export interface UriLinkDeps {
  dataDir: string;
  secrets: SecretStore;
  env?: NodeJS.ProcessEnv;
}

/**
 * The profile's credentials URI on the configured port, creating its secret in the keychain when
 * it has none yet. A running broker is told, so it does not keep answering from an older read.
 */
export async function credentialsUriFor(deps: UriLinkDeps, profile: Profile): Promise<string> {
  const secrets = new UriSecrets(deps.secrets);
  const existing = await deps.secrets.get(uriSecretAccount(profile.id));
  const secret = await secrets.ensure(profile.id);
  if (existing !== secret) await tellBroker(deps, { op: 'reload', profile: profile.id });
  return credentialsUri(await brokerPort(deps.dataDir, deps.env), profile.id, secret);
}

/**
 * A new secret for the profile: the old URL stops working before this returns. A running broker
 * does the rotation itself (it holds the secret in memory); with none running it happens in the
 * keychain. A broker that is registered (its process lives) but does not answer would keep the
 * old secret in memory: that is an error, and nothing is changed.
 */
export async function rotateCredentialsUri(deps: UriLinkDeps, profile: Profile): Promise<string> {
  const reach = await reachBroker(
    { op: 'rotate', profile: profile.id },
    { dataDir: deps.dataDir, env: deps.env ?? process.env, timeoutMs: 5_000 },
  );
  let secret: string;
  if (reach.kind === 'silent')
    throw new AppError(
      'BROKER_UNAVAILABLE',
      `A broker is registered for this data folder (process ${reach.pid}) but did not answer, so it would keep ` +
        'serving the old URL: nothing was rotated. Stop that process or start the broker again ' +
        '(alicloud-signin serve), then rotate again.',
    );
  if (reach.kind === 'answer') {
    const answer = reach.answer;
    if (answer.ok && answer.op === 'rotate') secret = answer.secret;
    else
      throw new AppError(
        'BROKER_UNAVAILABLE',
        `The running broker could not rotate the secret: ${answer.ok ? 'it gave another answer' : answer.message}`,
      );
  } else secret = await new UriSecrets(deps.secrets).rotate(profile.id);
  return credentialsUri(await brokerPort(deps.dataDir, deps.env), profile.id, secret);
}

/**
 * Tells a running broker to read the profiles (and this profile's secret) again. Best effort: with
 * no broker, or a channel that fails its checks (no broker of ours), there is nobody to tell.
 */
export async function tellBroker(deps: UriLinkDeps, request: { op: 'reload'; profile?: string }): Promise<void> {
  await brokerRequest(request, { dataDir: deps.dataDir, env: deps.env ?? process.env, timeoutMs: 5000 }).catch(
    () => undefined,
  );
}
