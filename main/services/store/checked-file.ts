import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

/*
 * Remembers which content of a data file its schema has already accepted, so that reading the
 * same bytes again needs neither the check nor zod: loading zod and building the profile schema
 * cost a short command (`profile list`, `use`, `whoami`) about as long as starting Node does.
 *
 * Beside `profiles.json` lies `.profiles.json.checked`: the id of the rules and the SHA-256 of the
 * content they accepted. Only a writer that has just checked what it wrote (or a reader whose
 * checked result is, byte for byte, the text it read) records one. A file edited by hand, half
 * written, or written by a build with other rules does not match, and is checked in full. The
 * note proves nothing to anyone else: whoever can write it can write the file itself.
 */

declare const __CHECKED_FILES_RULES__: string | undefined;

/**
 * The rules' id, set at build time from the sources of the schemas (scripts/checked-rules.mjs).
 * Undefined when run from source: every read is then checked in full, and nothing is recorded.
 */
const RULES = typeof __CHECKED_FILES_RULES__ === 'string' ? __CHECKED_FILES_RULES__ : undefined;

function notePath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.checked`);
}

function note(rules: string, text: string): string {
  return `${rules} ${createHash('sha256').update(text).digest('hex')}\n`;
}

/** Whether these rules accepted exactly this text of `file` before. */
export async function checkedBefore(file: string, text: string): Promise<boolean> {
  if (RULES === undefined) return false;
  const recorded = await readFile(notePath(file), 'utf8').catch(() => undefined);
  return recorded === note(RULES, text);
}

/**
 * Records that the rules accepted `text` as the content of `file`. Best effort: a note that cannot
 * be written only means the next read checks in full.
 */
export async function markChecked(file: string, text: string): Promise<void> {
  if (RULES === undefined) return;
  await writeFileAtomic(notePath(file), note(RULES, text)).catch(() => undefined);
}
