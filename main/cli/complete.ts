/*
 * Candidates for shell completion, computed from a table of commands and flags plus the profile
 * names in the profiles file. Node built-ins only: the launcher answers `__complete` before the
 * full CLI loads, so a Tab costs about as much as starting Node, and never touches the keychain.
 */
import { dataDir } from '../services/core/paths.js';
import { readProfileSummaries } from '../services/exec/profile-summaries.js';

/** What a flag takes: nothing, one of a list, a profile name, a file, or any text. */
type Value = 'none' | 'profile' | 'file' | 'text' | readonly string[];

interface CommandSpec {
  flags?: Readonly<Record<string, Value>>;
  /** The positional argument: a profile name, one of a list, or nothing. */
  positional?: 'profile' | readonly string[];
}

/** A line the scripts read as an instruction rather than a candidate (no candidate starts with ':'). */
export const FILES = ':files';
export const COMMAND_NAMES = ':commands';

const JSON_FLAG = { '--json': 'none' } as const;
const MODES = ['external', 'uri'] as const;

/**
 * Every command and its flags, as the commands parse them. test/cli/completion.test.ts checks that
 * the command names match the CLI's command table.
 */
export const SPEC: Readonly<Record<string, CommandSpec>> = {
  'profile add': {
    flags: {
      '--site': ['cn', 'intl', 'custom'],
      '--client-id': 'text',
      '--scopes': 'text',
      '--ports': 'text',
      '--callback-path': 'text',
      '--redirect': ['loopback', 'scheme'],
      '--prompt': 'text',
      '--nonce': ['on', 'off'],
      '--region': 'text',
      '--issuer': 'text',
      '--authorization-endpoint': 'text',
      '--token-endpoint': 'text',
      '--revocation-endpoint': 'text',
      '--exchange-endpoint': 'text',
      '--jwks-uri': 'text',
      '--oss-endpoint': 'text',
      '--assume-role': 'text',
      '--from': 'profile',
      '--session-name': 'text',
      '--duration': 'text',
      '--external-id': 'text',
      '--sts-endpoint': 'text',
      ...JSON_FLAG,
    },
  },
  'profile list': { flags: JSON_FLAG },
  'profile remove': { positional: 'profile' },
  use: { positional: 'profile' },
  login: { flags: { '--no-browser': 'none', '--timeout': 'text', ...JSON_FLAG }, positional: 'profile' },
  logout: { flags: JSON_FLAG, positional: 'profile' },
  whoami: { flags: JSON_FLAG, positional: 'profile' },
  refresh: { flags: JSON_FLAG, positional: 'profile' },
  credentials: { flags: { '--format': ['external', 'env', 'json'] }, positional: 'profile' },
  // exec has a grammar of its own (the command after it): see execCandidates.
  exec: { flags: { '--server': 'none', '--force': 'none' }, positional: 'profile' },
  buckets: { flags: { '--prefix': 'text', ...JSON_FLAG }, positional: 'profile' },
  serve: { flags: { '--port': 'text' } },
  audit: { flags: { '--limit': 'text', ...JSON_FLAG } },
  'cli-config link': {
    flags: { '--mode': MODES, '--as': 'text', '--region': 'text', '--config-path': 'file' },
    positional: 'profile',
  },
  'cli-config import': {
    flags: {
      '--scrub': 'none',
      '--keep-cli-tokens': 'none',
      '--mode': MODES,
      '--like': 'profile',
      '--config-path': 'file',
    },
  },
  'cli-config status': { flags: { '--fix': 'none', '--config-path': 'file', ...JSON_FLAG } },
  console: { flags: { '--destination': 'text', '--print': 'none' }, positional: 'profile' },
  'broker enable': { positional: 'profile' },
  'broker disable': { positional: 'profile' },
  'broker rotate': { flags: { '--config-path': 'file' }, positional: 'profile' },
  'broker url': { positional: 'profile' },
  'broker status': { flags: JSON_FLAG },
  demo: { flags: { '--buckets': 'text', ...JSON_FLAG } },
  completion: { positional: ['bash', 'zsh', 'fish'] },
};

/**
 * The candidates for the last of `words` (the words after the program's name; the last one is
 * the word being completed, maybe empty), one per line, already filtered by what it begins with.
 * `profiles` is read only when a profile name can come next.
 */
export async function candidates(words: readonly string[], profiles: () => Promise<string[]>): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const starts = (list: Iterable<string>) => [...list].filter((c) => c.startsWith(current));
  const [first, second] = before;
  if (first === undefined) {
    return starts(new Set([...Object.keys(SPEC).map((key) => key.split(' ')[0] as string), '--help', '--version']));
  }
  const groups = Object.keys(SPEC).filter((key) => key.startsWith(`${first} `));
  if (groups.length > 0 && second === undefined) return starts(groups.map((key) => key.split(' ')[1] as string));
  const key = groups.length > 0 ? `${first} ${second}` : first;
  const spec = SPEC[key];
  if (!spec) return [];
  const rest = before.slice(groups.length > 0 ? 2 : 1);
  if (key === 'exec') return execCandidates(rest, current, profiles);

  const flags = spec.flags ?? {};
  const previous = rest.at(-1);
  const value = previous !== undefined ? flags[previous] : undefined;
  if (value !== undefined && value !== 'none') return valueCandidates(value, starts, profiles);
  if (current.startsWith('-')) return starts(Object.keys(flags).filter((flag) => !rest.includes(flag)));
  const positionalGiven = rest.some((word, i) => !word.startsWith('-') && !takesValue(flags[rest[i - 1] ?? '']));
  if (spec.positional && !positionalGiven) return valueCandidates(spec.positional, starts, profiles);
  return starts(Object.keys(flags).filter((flag) => !rest.includes(flag)));
}

/** `exec [NAME] [--server] [--force] [--] COMMAND [ARGS...]`: after COMMAND, the command's own words. */
async function execCandidates(
  rest: readonly string[],
  current: string,
  profiles: () => Promise<string[]>,
): Promise<string[]> {
  let name: string | undefined;
  for (const [i, word] of rest.entries()) {
    // Past `--` or the command itself: the rest is the command's, and files are the best guess.
    if (word === '--') return i === rest.length - 1 ? [COMMAND_NAMES] : [FILES];
    if (word.startsWith('-')) continue;
    if (name !== undefined) return [FILES];
    name = word;
  }
  const flags = ['--server', '--force', '--'].filter((flag) => flag.startsWith(current) && !rest.includes(flag));
  if (current.startsWith('-')) return flags;
  if (name !== undefined) return [COMMAND_NAMES];
  return (await profiles()).filter((p) => p.startsWith(current));
}

function valueCandidates(
  value: Exclude<Value, 'none'>,
  starts: (list: Iterable<string>) => string[],
  profiles: () => Promise<string[]>,
): Promise<string[]> | string[] {
  if (value === 'profile') return profiles().then(starts);
  if (value === 'file') return [FILES];
  if (value === 'text') return [];
  return starts(value);
}

function takesValue(value: Value | undefined): boolean {
  return value !== undefined && value !== 'none';
}

/** The profile names, from the profiles file (no keychain, no schema library). */
export async function profileNames(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return (await readProfileSummaries(dataDir(env))).profiles.map((p) => p.name);
}

/**
 * `alicloud-signin __complete -- WORD...`: what the completion scripts call. True when `argv`
 * was such a call (and the candidates are printed, one per line).
 */
export async function completeFastPath(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  if (argv[0] !== '__complete') return false;
  const words = argv[1] === '--' ? argv.slice(2) : argv.slice(1);
  const lines = await candidates(words.length > 0 ? words : [''], () => profileNames(env));
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  return true;
}
