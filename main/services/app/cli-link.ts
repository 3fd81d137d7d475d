/*
 * Linking an aliyun CLI profile to one of ours (External mode or CredentialsURI), and the dry run
 * that shows the change first. `cli-config link` and the window's "Use with aliyun CLI" call these.
 */
import { brokerPort } from '../broker/settings.js';
import { credentialsUriFor } from '../broker/uri-link.js';
import { credentialsUri } from '../broker/uri-request.js';
import { uriSecretAccount } from '../broker/uri-secrets.js';
import type { LinkTarget } from '../cli-config/edit.js';
import { linkCliProfile, type LinkResult } from '../cli-config/link.js';
import { externalProcessCommand, type SelfCommand } from '../cli-config/process-command.js';
import { installWrapper, programFound } from '../cli-config/wrapper.js';
import type { Profile } from '../profiles/schema.js';
import type { SecretStore } from '../secrets/secret-store.js';

export type CliLinkMode = LinkTarget['mode'];

export interface CliLinkDeps {
  dataDir: string;
  secrets: SecretStore;
  env?: NodeJS.ProcessEnv;
  /** How to start this install's CLI (the External command runs its `credentials NAME`). */
  self: SelfCommand;
}

/** The wrapper script an External command needed (a path with a space or a quote), once written. */
export interface WrapperNote {
  name: string;
  file: string;
  /** Its folder is not on PATH here. */
  warning?: string;
}

/**
 * How a CLI profile reaches `profile`: its credentials URI (its secret made when missing), or the
 * External command (with the wrapper on PATH written when the command needs one).
 */
export async function linkTarget(
  deps: CliLinkDeps,
  profile: Profile,
  mode: CliLinkMode,
): Promise<{ target: LinkTarget; wrapper?: WrapperNote; programMissing?: string }> {
  if (mode === 'uri') {
    const uri = await credentialsUriFor(
      { dataDir: deps.dataDir, secrets: deps.secrets, ...(deps.env ? { env: deps.env } : {}) },
      profile,
    );
    return { target: { mode: 'uri', credentialsUri: uri } };
  }
  const plan = externalProcessCommand(profile.name, deps.self);
  if (!plan.wrapper) {
    return { target: { mode: 'external', processCommand: plan.command }, ...(await programCheck(deps, plan.program)) };
  }
  const installed = await installWrapper(plan.wrapper, deps.env ? { env: deps.env } : {});
  return {
    target: { mode: 'external', processCommand: plan.command },
    wrapper: {
      name: plan.wrapper.name,
      file: installed.file,
      ...(installed.warning ? { warning: installed.warning } : {}),
    },
  };
}

/**
 * `{ programMissing }` when the aliyun CLI would not find the program an External command starts:
 * the window's links run `alicloud-signin` from PATH, which an app-only install does not have.
 */
async function programCheck(deps: CliLinkDeps, program: string): Promise<{ programMissing?: string }> {
  return (await programFound(program, { env: deps.env ?? process.env })) ? {} : { programMissing: program };
}

/** The same target, with nothing created: a URI secret not made yet shows as a stand-in (`newSecret`). */
async function plannedTarget(
  deps: CliLinkDeps,
  profile: Profile,
  mode: CliLinkMode,
): Promise<{ target: LinkTarget; newSecret: boolean; programMissing?: string }> {
  if (mode === 'external') {
    const plan = externalProcessCommand(profile.name, deps.self);
    return {
      target: { mode, processCommand: plan.command },
      newSecret: false,
      // A wrapper's own state is reported when it is written (installWrapper).
      ...(plan.wrapper ? {} : await programCheck(deps, plan.program)),
    };
  }
  const secret = await deps.secrets.get(uriSecretAccount(profile.id));
  const port = await brokerPort(deps.dataDir, deps.env);
  return {
    target: { mode, credentialsUri: credentialsUri(port, profile.id, secret ?? '-'.repeat(43)) },
    newSecret: !secret,
  };
}

export interface CliLinkRequest {
  profile: Profile;
  mode: CliLinkMode;
  /** The aliyun CLI's config.json. */
  file: string;
  /** The CLI profile to write (default: the profile's name). */
  cliProfile?: string;
  /** Written as region_id even when the CLI profile has one. */
  region?: string;
}

export interface CliLinkOutcome extends LinkResult {
  wrapper?: WrapperNote;
  /** The program the External command starts, when the aliyun CLI would not find it here. */
  programMissing?: string;
  /** Dry run only: the CredentialsURI secret does not exist yet (linking makes it). */
  newSecret?: boolean;
}

/** What the link and its preview both hand the cli-config service. */
function linkInput(request: CliLinkRequest, target: LinkTarget) {
  return {
    file: request.file,
    profile: request.profile,
    target,
    ...(request.cliProfile !== undefined ? { cliProfile: request.cliProfile } : {}),
    ...(request.region !== undefined ? { region: request.region } : {}),
  };
}

/** Links the CLI profile (after a backup, atomically), and remembers the link for `cli-config status`. */
export async function linkToCli(deps: CliLinkDeps, request: CliLinkRequest): Promise<CliLinkOutcome> {
  const { target, wrapper, programMissing } = await linkTarget(deps, request.profile, request.mode);
  const result = await linkCliProfile({
    ...linkInput(request, target),
    record: { dataDir: deps.dataDir, profileId: request.profile.id },
  });
  return { ...result, ...(wrapper ? { wrapper } : {}), ...(programMissing ? { programMissing } : {}) };
}

/** What `linkToCli` would change in the file, field by field; nothing is written or created. */
export async function previewCliLink(deps: CliLinkDeps, request: CliLinkRequest): Promise<CliLinkOutcome> {
  const { target, newSecret, programMissing } = await plannedTarget(deps, request.profile, request.mode);
  const result = await linkCliProfile({ ...linkInput(request, target), dryRun: true });
  return { ...result, newSecret, ...(programMissing ? { programMissing } : {}) };
}
