import { parseArgs } from 'node:util';
import { useProfile as makeActive } from '../../services/app/profile-choice.js';
import type { Services } from '../../services/context.js';
import type { Profile } from '../../services/profiles/schema.js';
import { single } from '../args.js';
import type { CliIO } from '../io.js';
import { json } from '../io.js';
import { profileJson, profileLine } from '../views.js';

/*
 * `profile list` and `use`: they read or choose, so they load the profile store and nothing that
 * signs in, signs out or talks to a broker (the CLI's start-up goal).
 */

export async function profileList(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
  const file = await services.store.read();
  if (values.json) {
    const active = file.profiles.find((p) => p.id === file.activeProfileId);
    io.out(
      json({
        active: active?.name ?? null,
        profiles: file.profiles.map((p) => profileJson(p, file.activeProfileId, sourceName(file, p))),
      }),
    );
    return;
  }
  if (file.profiles.length === 0) {
    io.err('No profiles yet. Add one: alicloud-signin profile add NAME --site cn');
    return;
  }
  for (const profile of file.profiles) io.out(profileLine(profile, file.activeProfileId, sourceName(file, profile)));
}

export async function useProfile(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const profile = await makeActive(services, single(positionals, 'use NAME'));
  io.out(`Active profile: ${profile.name}`);
}

function sourceName(file: { profiles: Profile[] }, profile: Profile): string | undefined {
  const id = profile.role?.sourceProfileId;
  return id === undefined ? undefined : file.profiles.find((p) => p.id === id)?.name;
}
