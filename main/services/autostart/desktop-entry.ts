/*
 * The XDG autostart entry as text: a Desktop Entry whose Exec= line runs the app hidden. The
 * Exec value goes through two layers that a reader undoes in the opposite order: first the
 * quoting of each argument (the spec's "Exec key" section: double quotes, and \ before " ` $ \
 * inside them; a literal % written %%), then the escapes of every string value (\\ \n \t \r).
 * So a backslash in a quoted argument ends up as four in the file.
 */
import { AppError } from '../core/errors.js';

/** Characters that make the spec require quotes around an argument. */
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;
/** Inside double quotes these four take a backslash before them. */
const ESCAPED_IN_QUOTES = /["`$\\]/g;

/** One argument of an Exec line, quoted when the spec says it must be. */
export function execArgument(argument: string): string {
  const percent = argument.replace(/%/g, '%%');
  if (argument.length > 0 && !RESERVED.test(argument)) return percent;
  return `"${percent.replace(ESCAPED_IN_QUOTES, (c) => `\\${c}`)}"`;
}

/** The escapes every string value gets (applied after the argument quoting). */
function escapeStringValue(value: string): string {
  return value.replace(/[\\\n\t\r]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? c);
}

/**
 * The Exec= value for `argv` (program first). The spec forbids `=` in the program's path, and no
 * line of a desktop entry can hold a NUL: such a path is refused rather than written wrong.
 */
export function execLine(argv: readonly string[]): string {
  const [program] = argv;
  if (!program) throw new AppError('INVALID_INPUT', 'The start-at-login command names no program.');
  if (program.includes('=')) {
    throw new AppError(
      'INVALID_INPUT',
      `The app's path ${program} holds "=", which a desktop entry cannot run; move the app to a folder without it.`,
    );
  }
  if (argv.some((argument) => argument.includes('\0'))) {
    throw new AppError('INVALID_INPUT', 'The start-at-login command holds a NUL character.');
  }
  // GLib looks the program up before it turns %% back into %, so it cannot find a program whose
  // path holds one; through `env` that path is an argument, which every reader unescapes.
  const words = program.includes('%') ? ['env', ...argv] : argv;
  return escapeStringValue(words.map(execArgument).join(' '));
}

export interface AutostartEntry {
  /** The app's name as the session's startup list shows it. */
  name: string;
  comment: string;
  /** The program and its arguments, e.g. [execPath, '--hidden']. */
  argv: readonly string[];
}

/** The whole file. */
export function desktopEntry(entry: AutostartEntry): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    `Name=${escapeStringValue(entry.name)}`,
    `Comment=${escapeStringValue(entry.comment)}`,
    `Exec=${execLine(entry.argv)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Whether an existing entry would start the app: a session skips one with `Hidden=true`, and
 * GNOME one with `X-GNOME-Autostart-enabled=false` (what its settings write when a person switches
 * the entry off there). Only the [Desktop Entry] group counts.
 */
export function entryEnabled(text: string): boolean {
  let inMain = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inMain = line === '[Desktop Entry]';
      continue;
    }
    if (!inMain) continue;
    const at = line.indexOf('=');
    if (at < 0) continue;
    const key = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    if (key === 'Hidden' && value === 'true') return false;
    if (key === 'X-GNOME-Autostart-enabled' && value === 'false') return false;
  }
  return true;
}
