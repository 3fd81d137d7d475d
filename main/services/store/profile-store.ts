import { randomBytes } from 'node:crypto';
import { AppError, isAppError } from '../core/errors.js';
import { ensurePrivateDir, lockFilePath, profilesFilePath } from '../core/paths.js';
import { emptyProfilesFile, withRoleStatuses } from '../profiles/file-shape.js';
import type * as SchemaModule from '../profiles/schema.js';
import type { Profile, ProfilesFile } from '../profiles/schema.js';
import { readJsonFile, writeFileAtomic, type Parser } from './atomic-file.js';
import { checkedBefore, markChecked } from './checked-file.js';
import { withLock } from './file-lock.js';
import { migrateProfilesFile } from './migrate.js';

/** What a caller gives to create a profile; the store fills in id, times and defaults. */
export type NewProfile = Omit<Profile, 'id' | 'createdAt' | 'updatedAt' | 'status' | 'brokerEnabled'> &
  Partial<Pick<Profile, 'status' | 'brokerEnabled'>>;

/** The fields `patch` may change (never the id or the creation time). */
export type ProfilePatch = Partial<Omit<Profile, 'id' | 'createdAt' | 'updatedAt'>>;

export interface ProfileStoreOptions {
  /** How long to wait for another process's update (default 10 s). */
  lockTimeoutMs?: number;
  /** The clock for createdAt/updatedAt. */
  now?: () => Date;
}

/**
 * A new random profile id: 128 bits, URL-safe, 22 characters, never starting with `-` (which
 * every command line, `secret-tool` and `alicloud-signin use ID` included, reads as an option).
 */
export function newProfileId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Finds a profile by exact name, then id, then name ignoring case (names are unique that way). */
export function findProfile(file: ProfilesFile, nameOrId: string): Profile | undefined {
  const lower = nameOrId.toLowerCase();
  return (
    file.profiles.find((p) => p.name === nameOrId) ??
    file.profiles.find((p) => p.id === nameOrId) ??
    file.profiles.find((p) => p.name.toLowerCase() === lower)
  );
}

type Schema = typeof SchemaModule;
let schemaModule: Promise<Schema> | undefined;

/** The zod schema, loaded when first needed: reading a file it already accepted needs none of it. */
function schema(): Promise<Schema> {
  schemaModule ??= import('../profiles/schema.js');
  return schemaModule;
}

/** The file's text as the store writes it. */
function serialise(file: ProfilesFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Whether `draft` differs from `current` (a checked file) in `activeProfileId` alone, which needs
 * no schema: any string or null is valid, and `update` clears an id that names no profile.
 */
function onlyActiveChanged(current: ProfilesFile, draft: ProfilesFile): boolean {
  const keys = Object.keys(draft);
  return (
    keys.length === 3 &&
    keys.every((key) => key === 'version' || key === 'activeProfileId' || key === 'profiles') &&
    draft.version === current.version &&
    (draft.activeProfileId === null || typeof draft.activeProfileId === 'string') &&
    JSON.stringify(draft.profiles) === JSON.stringify(current.profiles)
  );
}

function notFound(nameOrId: string): AppError {
  return new AppError('PROFILE_NOT_FOUND', `There is no profile named "${nameOrId}".`);
}

function invalid(error: unknown, what: string): AppError {
  const issues =
    error instanceof Error && 'issues' in error && Array.isArray(error.issues)
      ? error.issues
          .slice(0, 3)
          .map(
            (i: { path?: unknown[]; message?: string }) =>
              `${(i.path ?? []).join('.') || 'value'}: ${i.message ?? 'invalid'}`,
          )
          .join('; ')
      : 'invalid value';
  return new AppError('INVALID_INPUT', `${what} is not valid (${issues}).`, { cause: error });
}

/**
 * The profiles file (`profiles.json` in the data folder): non-secret settings only. Reads need
 * no lock (writes are atomic); every change runs under a cross-process lock on a fresh read.
 */
export class ProfileStore {
  readonly file: string;
  private readonly lockPath: string;
  private readonly parser: Parser<ProfilesFile>;

  constructor(
    readonly dir: string,
    private readonly options: ProfileStoreOptions = {},
  ) {
    this.file = profilesFilePath(dir);
    this.lockPath = lockFilePath(dir, 'profiles');
    const file = this.file;
    this.parser = {
      parse: async (raw, text) => {
        // The same bytes the schema accepted before: its result then is this parse (see checked-file.ts).
        if (await checkedBefore(file, text)) return withRoleStatuses(raw as ProfilesFile);
        const parsed = (await schema()).ProfilesFile.parse(migrateProfilesFile(raw, file));
        // Remembered only when the schema changed nothing (no migration, no normalised region).
        if (serialise(parsed) === text) await markChecked(file, text);
        return parsed;
      },
    };
  }

  /**
   * The whole file; a missing file reads as empty. A damaged file is moved aside (under the lock,
   * so a concurrent writer's fresh file is never the one moved) and STORE_CORRUPT names the copy.
   */
  async read(): Promise<ProfilesFile> {
    try {
      return (await readJsonFile(this.file, this.parser, { quarantine: false })) ?? emptyProfilesFile();
    } catch (error) {
      if (!isAppError(error, 'STORE_CORRUPT')) throw error;
      return this.lock(() => this.readLocked());
    }
  }

  /**
   * Runs `fn` on a fresh copy of the file under the lock, validates the result with the schema
   * (unless only the active profile changed) and writes it atomically, only if it changed. What
   * `fn` returns is passed through; if it throws, nothing is written.
   */
  async update<T>(fn: (file: ProfilesFile) => T | Promise<T>): Promise<T> {
    await ensurePrivateDir(this.dir);
    return this.lock(async () => {
      const current = await this.readLocked();
      const before = serialise(current);
      const draft = structuredClone(current);
      const result = await fn(draft);
      const next = onlyActiveChanged(current, draft) ? draft : await this.check(draft);
      if (next.activeProfileId !== null && !next.profiles.some((p) => p.id === next.activeProfileId)) {
        next.activeProfileId = null;
      }
      const text = serialise(next);
      if (text !== before) {
        await writeFileAtomic(this.file, text);
        await markChecked(this.file, text);
      }
      return result;
    });
  }

  async list(): Promise<Profile[]> {
    return (await this.read()).profiles;
  }

  /** The profile with that name or id, or undefined. */
  async get(nameOrId: string): Promise<Profile | undefined> {
    return findProfile(await this.read(), nameOrId);
  }

  /**
   * Adds a profile with a new id; names are unique ignoring case (PROFILE_EXISTS). The first
   * profile becomes the active one. Fields the schema does not know are dropped.
   */
  async add(input: NewProfile): Promise<Profile> {
    const now = this.now();
    const parsed = (await schema()).Profile.safeParse({
      status: 'signed-out',
      ...input,
      id: newProfileId(),
      createdAt: now,
      updatedAt: now,
    });
    if (!parsed.success) throw invalid(parsed.error, 'The profile');
    const profile = parsed.data;
    return this.update((file) => {
      if (file.profiles.some((p) => p.name.toLowerCase() === profile.name.toLowerCase())) {
        throw new AppError('PROFILE_EXISTS', `A profile named "${profile.name}" already exists. Choose another name.`);
      }
      file.profiles.push(profile);
      file.activeProfileId ??= profile.id;
      return profile;
    });
  }

  /** Removes a profile and returns it; if it was the active one, none is active afterwards. */
  async remove(nameOrId: string): Promise<Profile> {
    return this.update((file) => {
      const profile = findProfile(file, nameOrId);
      if (!profile) throw notFound(nameOrId);
      file.profiles = file.profiles.filter((p) => p.id !== profile.id);
      if (file.activeProfileId === profile.id) file.activeProfileId = null;
      return profile;
    });
  }

  /** Makes a profile the active one (null: none) and returns it. */
  async setActive(nameOrId: string): Promise<Profile>;
  async setActive(nameOrId: null): Promise<null>;
  async setActive(nameOrId: string | null): Promise<Profile | null> {
    return this.update((file) => {
      if (nameOrId === null) {
        file.activeProfileId = null;
        return null;
      }
      const profile = findProfile(file, nameOrId);
      if (!profile) throw notFound(nameOrId);
      file.activeProfileId = profile.id;
      return profile;
    });
  }

  /** Changes some fields of the profile with this id and returns the result. */
  async patch(id: string, changes: ProfilePatch): Promise<Profile> {
    const { Profile } = await schema();
    return this.update((file) => {
      const index = file.profiles.findIndex((p) => p.id === id);
      const existing = file.profiles[index];
      if (!existing) throw notFound(id);
      const next = { ...existing, ...changes, id: existing.id, createdAt: existing.createdAt, updatedAt: this.now() };
      const lower = next.name.toLowerCase();
      if (file.profiles.some((p) => p.id !== id && p.name.toLowerCase() === lower)) {
        throw new AppError('PROFILE_EXISTS', `A profile named "${next.name}" already exists. Choose another name.`);
      }
      const parsed = Profile.safeParse(next);
      if (!parsed.success) throw invalid(parsed.error, 'The profile');
      file.profiles[index] = parsed.data;
      return parsed.data;
    });
  }

  /** The named profile, or the active one when no name is given. */
  async resolve(nameOrId?: string): Promise<Profile> {
    const file = await this.read();
    if (nameOrId !== undefined) {
      const profile = findProfile(file, nameOrId);
      if (!profile) throw notFound(nameOrId);
      return profile;
    }
    const active = file.activeProfileId === null ? undefined : file.profiles.find((p) => p.id === file.activeProfileId);
    if (!active) {
      throw new AppError(
        'NO_ACTIVE_PROFILE',
        file.profiles.length === 0
          ? 'There are no profiles yet. Add one first.'
          : 'No profile is active. Name one, or make one the active profile.',
      );
    }
    return active;
  }

  private async check(draft: ProfilesFile): Promise<ProfilesFile> {
    const parsed = (await schema()).ProfilesFile.safeParse(draft);
    if (!parsed.success) throw invalid(parsed.error, 'The change to the profiles');
    return parsed.data;
  }

  private readLocked(): Promise<ProfilesFile> {
    return readJsonFile(this.file, this.parser).then((file) => file ?? emptyProfilesFile());
  }

  private lock<T>(fn: () => Promise<T>): Promise<T> {
    return withLock(this.lockPath, fn, { timeoutMs: this.options.lockTimeoutMs ?? 10_000 });
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}
