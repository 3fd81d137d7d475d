/*
 * `cli-config status [--fix]` as one use-case: which aliyun CLI profiles get credentials from us,
 * whether each is intact, and the repair. The window's "aliyun CLI" pane calls it too.
 */
import { brokerPort } from '../broker/settings.js';
import { credentialsUri } from '../broker/uri-request.js';
import { uriSecretAccount } from '../broker/uri-secrets.js';
import { loadCliConfig } from '../cli-config/config-file.js';
import { LinkedProfiles } from '../cli-config/linked.js';
import { externalProcessCommand } from '../cli-config/process-command.js';
import { repairLinks, type RepairResult } from '../cli-config/repair.js';
import { inspectLinks, type Expectations, type FoundLink } from '../cli-config/status.js';
import { wrapperState } from '../cli-config/wrapper.js';
import type { ProfileStore } from '../store/profile-store.js';
import { linkTarget, type CliLinkDeps, type WrapperNote } from './cli-link.js';

export interface CliStatusDeps extends CliLinkDeps {
  store: Pick<ProfileStore, 'read'>;
}

/** What `link` would write now for each profile, without creating anything (no secret, no wrapper). */
async function expectations(deps: CliStatusDeps, file: string): Promise<Expectations> {
  const port = await brokerPort(deps.dataDir, deps.env);
  return {
    profiles: (await deps.store.read()).profiles,
    ledger: await new LinkedProfiles(deps.dataDir).forFile(file),
    external: async (profile) => {
      const plan = externalProcessCommand(profile.name, deps.self);
      return plan.wrapper
        ? { command: plan.command, wrapper: await wrapperState(plan.wrapper, deps.env ? { env: deps.env } : {}) }
        : { command: plan.command };
    },
    uri: async (profile) => {
      const secret = await deps.secrets.get(uriSecretAccount(profile.id));
      return secret ? credentialsUri(port, profile.id, secret) : undefined;
    },
  };
}

/** Every CLI profile linked to us; what the file still says is remembered, so an SDK dropping a field later hides nothing. */
async function inspectCliLinks(deps: CliStatusDeps, file: string): Promise<FoundLink[]> {
  const links = await inspectLinks((await loadCliConfig(file)).config, await expectations(deps, file));
  await new LinkedProfiles(deps.dataDir).record(
    file,
    Object.fromEntries(
      links.flatMap((l) => (l.profile ? [[l.name, { profileId: l.profile.id, mode: l.kind }] as const] : [])),
    ),
  );
  return links;
}

export interface CliStatusResult {
  file: string;
  /** As they are now (after the repair, with `fix`). */
  links: FoundLink[];
  /** With `fix`, when something needed it; `wrappers`: the wrapper scripts relinking wrote. */
  repair?: RepairResult & { wrappers: WrapperNote[] };
}

/** The status, and with `fix` the repair of every broken link whose profile we still have (one write, after a backup). */
export async function cliLinkStatus(
  deps: CliStatusDeps,
  options: { file: string; fix?: boolean },
): Promise<CliStatusResult> {
  const { file } = options;
  const links = await inspectCliLinks(deps, file);
  if (!options.fix || links.every((l) => l.intact)) return { file, links };
  const wrappers: WrapperNote[] = [];
  const repair = await repairLinks({
    file,
    links,
    target: async (profile, kind) => {
      const { target, wrapper } = await linkTarget(deps, profile, kind);
      if (wrapper && !wrappers.some((w) => w.file === wrapper.file)) wrappers.push(wrapper);
      return target;
    },
  });
  return { file, links: await inspectCliLinks(deps, file), repair: { ...repair, wrappers } };
}
