/**
 * The two ways `process_command` is cut into words by the programs that run it. The aliyun CLI
 * before 3.4.9 splits on white space and nothing else; the aliyun CLI from 3.4.9 and current
 * credentials-go split as a POSIX shell would (quotes group, a backslash escapes). A command we
 * write must mean the same words to both, and `cli-config status` reads commands as the newer one
 * does. Each returns undefined for a command that splitter refuses (an open quote, a trailing
 * backslash, nothing at all).
 */

export function splitOnWhiteSpace(command: string): string[] | undefined {
  const words = command.split(/\s+/).filter((w) => w !== '');
  return words.length > 0 ? words : undefined;
}

/** Characters a shell-style splitter treats specially outside quotes (besides white space). */
const SPECIAL = new Set(["'", '"', '\\']);
/** Inside double quotes a backslash escapes only these. */
const ESCAPED_IN_DOUBLE = new Set(['"', '\\', '$', '`']);

export function splitShellStyle(command: string, platform: NodeJS.Platform = process.platform): string[] | undefined {
  const windows = platform === 'win32';
  const chars = [...command.trim()];
  const words: string[] = [];
  let word = '';
  // A word has started even when it is empty so far: `""` is an empty word, not nothing.
  let started = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i] as string;
    const next = chars[i + 1];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && next !== undefined && next === '\n' && !windows) i += 1;
      else if (c === '\\' && next !== undefined && (windows ? next === '"' : ESCAPED_IN_DOUBLE.has(next))) {
        word += next;
        i += 1;
      } else word += c;
      continue;
    }
    if (c === '\\' && !windows) {
      if (next === undefined) return undefined;
      i += 1;
      if (next === '\n') continue;
      word += next;
      started = true;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (quote) return undefined;
  if (started) words.push(word);
  return words.length > 0 && words[0] !== '' ? words : undefined;
}

/** Whether a word means the same to both splitters: no white space, no quote, no backslash. */
export function isPlainWord(word: string): boolean {
  return word !== '' && ![...word].some((c) => /\s/.test(c) || SPECIAL.has(c));
}

/** Single-quotes a word for /bin/sh (inside single quotes only the quote itself needs care). */
export function shQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
