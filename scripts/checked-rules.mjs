// The id of the rules the data files are checked by (main/services/store/checked-file.ts): a hash
// of the schemas' sources and zod's version. Every build defines it as __CHECKED_FILES_RULES__, so
// a file one build checked is checked again by a build whose rules differ.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Everything a read of profiles.json or clock.json is checked against. */
const RULE_SOURCES = [
  'main/services/profiles/schema.ts',
  'main/services/profiles/file-shape.ts',
  'main/services/store/migrate.ts',
  'main/services/clock/clock-schema.ts',
  'shared/fields.ts',
];

export function checkedRulesId() {
  const hash = createHash('sha256');
  for (const file of RULE_SOURCES)
    hash
      .update(`${file}\0`)
      .update(readFileSync(`${root}${file}`))
      .update('\0');
  const zod = createRequire(import.meta.url)('zod/package.json');
  hash.update(`zod@${zod.version}`);
  return hash.digest('hex').slice(0, 16);
}

/** For the bundlers' `define`. */
export function checkedRulesDefine() {
  return { __CHECKED_FILES_RULES__: JSON.stringify(checkedRulesId()) };
}
