import { askBroker } from '../broker/client.js';
import type { CredentialsFormat } from '../broker/local-protocol.js';
import type { Services } from '../context.js';
import type { StsCredentials } from '../oss/types.js';

export interface ProfileCredentials {
  profile: { id: string; name: string };
  credentials: StsCredentials;
  /** Whether a running broker answered (else this process did the work). */
  brokered: boolean;
}

export interface CredentialsOptions {
  dataDir: string;
  /** Tells the broker which `credentials --format` asks (its audit log says External or Local). */
  format?: CredentialsFormat;
  /** The services that get credentials here: called only when no broker answers. */
  local: () => Promise<Pick<Services, 'store' | 'sts'>>;
}

/**
 * A profile's STS credentials the way every command gets them (`credentials`, `exec`, `console`):
 * from a running broker, which owns the refresh token, and only without one from the keychain
 * under the refresh lock (no `ref`: the active profile). A broker's refusal, such as a profile that
 * is not signed in, is thrown as the AppError it reported.
 */
export async function profileCredentials(
  ref: string | undefined,
  options: CredentialsOptions,
): Promise<ProfileCredentials> {
  const brokered = await askBroker(ref, {
    dataDir: options.dataDir,
    ...(options.format ? { format: options.format } : {}),
  });
  if (brokered) return { profile: brokered.profile, credentials: brokered.credentials, brokered: true };
  const { store, sts } = await options.local();
  const profile = await store.resolve(ref);
  const credentials = await sts.credentials(profile.id);
  return { profile: { id: profile.id, name: profile.name }, credentials, brokered: false };
}
