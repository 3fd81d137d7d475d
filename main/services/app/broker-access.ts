/*
 * The broker's side of one profile, as a person changes it: served or not, its CredentialsURI,
 * a new secret. The CLI (`broker enable|disable|url|rotate`) and the window call these, so what a
 * rotation updates cannot differ between them.
 */
import { credentialsUriFor, rotateCredentialsUri, tellBroker } from '../broker/uri-link.js';
import { relinkCredentialsUri } from '../cli-config/link.js';
import type { Profile } from '../profiles/schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { ProfileStore } from '../store/profile-store.js';

export interface BrokerAccessDeps {
  dataDir: string;
  store: Pick<ProfileStore, 'resolve' | 'patch'>;
  secrets: SecretStore;
  env?: NodeJS.ProcessEnv;
}

const linkDeps = (deps: BrokerAccessDeps) => ({
  dataDir: deps.dataDir,
  secrets: deps.secrets,
  ...(deps.env ? { env: deps.env } : {}),
});

/** Switches the profile on or off for the broker; a running broker reads it again at once. */
export async function setBrokerEnabled(deps: BrokerAccessDeps, profileRef: string, on: boolean): Promise<Profile> {
  const profile = await deps.store.resolve(profileRef);
  const updated = profile.brokerEnabled === on ? profile : await deps.store.patch(profile.id, { brokerEnabled: on });
  await tellBroker(linkDeps(deps), { op: 'reload', profile: profile.id });
  return updated;
}

/** The profile's CredentialsURI (a secret: its last segment). Its secret is made on first use. */
export async function brokerUrl(
  deps: BrokerAccessDeps,
  profileRef: string,
): Promise<{ profile: Profile; url: string }> {
  const profile = await deps.store.resolve(profileRef);
  return { profile, url: await credentialsUriFor(linkDeps(deps), profile) };
}

/**
 * A new secret: the old URL stops working before this returns (the running broker rotates it
 * itself), and every aliyun CLI profile in `cliConfigFile` that used the old URL gets the new one.
 */
export async function rotateBrokerUrl(
  deps: BrokerAccessDeps,
  profileRef: string,
  cliConfigFile: string,
): Promise<{ profile: Profile; url: string; relinked: string[] }> {
  const profile = await deps.store.resolve(profileRef);
  const url = await rotateCredentialsUri(linkDeps(deps), profile);
  const relinked = await relinkCredentialsUri(cliConfigFile, profile.id, url);
  return { profile, url, relinked };
}
