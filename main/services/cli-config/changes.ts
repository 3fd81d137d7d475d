import type { CliConfig, CliProfile, Json } from './config-file.js';

/** One field a write would change: what a preview lists before anything is saved. */
export interface FieldChange {
  /** `profile`: a field of the CLI profile being written; `file`: a top-level key (`current`). */
  scope: 'profile' | 'file';
  field: string;
  /** `add`: not there before; `set`: a new value; `remove`: dropped. */
  action: 'add' | 'set' | 'remove';
  before?: Json;
  after?: Json;
}

function same(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function fieldChanges(
  scope: FieldChange['scope'],
  before: Record<string, Json>,
  after: Record<string, Json>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, value] of Object.entries(after)) {
    if (!(field in before)) changes.push({ scope, field, action: 'add', after: value });
    else if (!same(before[field], value))
      changes.push({ scope, field, action: 'set', before: before[field], after: value });
  }
  for (const [field, value] of Object.entries(before)) {
    if (!(field in after)) changes.push({ scope, field, action: 'remove', before: value });
  }
  return changes;
}

/**
 * What turns `before` into `after` for one CLI profile, and in the file's own top-level keys
 * (`profiles` itself aside): every other profile is assumed untouched, as every edit here leaves it.
 */
export function cliProfileChanges(before: CliConfig, after: CliConfig, cliProfile: string): FieldChange[] {
  const find = (config: CliConfig): CliProfile | Record<string, Json> =>
    config.profiles.find((p) => p.name === cliProfile) ?? {};
  const top = (config: CliConfig): Record<string, Json> => {
    const { profiles: _profiles, ...rest } = config;
    return rest;
  };
  return [...fieldChanges('profile', find(before), find(after)), ...fieldChanges('file', top(before), top(after))];
}
