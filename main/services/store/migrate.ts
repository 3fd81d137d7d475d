import { AppError } from '../core/errors.js';
import { PROFILES_SCHEMA_VERSION } from '../profiles/file-shape.js';

/**
 * Steps that bring a profiles file from version N to N+1, keyed by N. Only version 1 exists, so
 * there are none yet; the next schema change adds `1: (file) => ({ ...file, version: 2, ... })`.
 */
const MIGRATIONS: Readonly<Record<number, (file: Record<string, unknown>) => Record<string, unknown>>> = {};

/**
 * Brings a parsed profiles file forward to the current version. A file from a newer version is
 * refused with STORE_NEWER_VERSION (and never moved aside or overwritten); anything else that is
 * wrong is left for the schema to reject.
 */
export function migrateProfilesFile(raw: unknown, file: string): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  let value = raw as Record<string, unknown>;
  let version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) return raw;
  if (version > PROFILES_SCHEMA_VERSION) {
    throw new AppError(
      'STORE_NEWER_VERSION',
      `${file} was written by a newer version of alicloud-signin (format ${version}). Update alicloud-signin to use it.`,
    );
  }
  while (version < PROFILES_SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) return value; // unknown old version: the schema reports it
    value = step(value);
    version += 1;
  }
  return value;
}
