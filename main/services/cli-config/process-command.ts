import { createHash } from 'node:crypto';
import { HOME_ENV } from '../core/paths.js';
import { isPlainWord, shQuote } from './split.js';

export interface SelfCommand {
  /** Argument vector that starts this CLI, e.g. [node, /path/alicloud-signin.mjs] or [alicloud-signin]. */
  argv: string[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** A small script on PATH that starts this CLI, for when its path cannot be written in the command. */
export interface WrapperPlan {
  /** What the command runs; found on PATH (with `.cmd` on Windows). */
  name: string;
  /** The file's name in a PATH folder. */
  fileName: string;
  content: string;
}

export interface ProcessCommandPlan {
  command: string;
  /** The program the command starts (a path, or a name the aliyun CLI looks up on PATH). */
  program: string;
  /** Set when the command runs a wrapper, which must then exist on PATH with this content. */
  wrapper?: WrapperPlan;
}

/** The first lines of every wrapper we write: a wrapper without it is someone else's file. */
export const WRAPPER_MARKER = 'alicloud-signin External-mode wrapper';
const WRAPPER_BASE = 'alicloud-signin-external';

/**
 * The `process_command` for External mode: this CLI's `credentials NAME`. Old aliyun CLIs split
 * it on white space only; the aliyun CLI from 3.4.9 and credentials-go split it as a shell would
 * (quotes and backslashes are special). When every word is plain, both read the same words and the
 * command names this install directly (and carries $ALICLOUD_SIGNIN_HOME through `env`). Otherwise
 * (a space or a quote in the path, as in `/Applications/AliCloud Sign-in.app`, or a data folder
 * that `env` cannot carry) the command runs a wrapper script found on PATH, whose name is plain and
 * which starts this install; `installWrapper` puts it there. Pure: nothing is written here.
 */
export function externalProcessCommand(profileName: string, self: SelfCommand): ProcessCommandPlan {
  const env = self.env ?? process.env;
  const platform = self.platform ?? process.platform;
  const home = env[HOME_ENV] || undefined;
  // Windows takes forward slashes in paths, and a backslash is special to the shell-style splitter.
  const start = self.argv.length > 0 ? self.argv : ['alicloud-signin'];
  const argv = platform === 'win32' ? start.map((w) => w.replace(/\\/g, '/')) : start;
  const homeFits = home === undefined || (platform !== 'win32' && isPlainWord(home));
  if (argv.every(isPlainWord) && homeFits) {
    const prefix = home ? ['env', `${HOME_ENV}=${home}`] : [];
    return {
      command: [...prefix, ...argv, 'credentials', profileName].join(' '),
      program: argv[0] ?? 'alicloud-signin',
    };
  }
  const wrapper = wrapperPlan(start, home, platform);
  return { command: `${wrapper.name} credentials ${profileName}`, program: wrapper.name, wrapper };
}

/** One wrapper per data folder: two setups with their own $ALICLOUD_SIGNIN_HOME must not share one. */
function wrapperPlan(argv: string[], home: string | undefined, platform: NodeJS.Platform): WrapperPlan {
  const name = home ? `${WRAPPER_BASE}-${createHash('sha256').update(home).digest('hex').slice(0, 8)}` : WRAPPER_BASE;
  if (platform === 'win32') {
    // cmd.exe: paths cannot hold `"`; `%` would be expanded, so it is doubled.
    const q = (w: string) => `"${w.replace(/%/g, '%%')}"`;
    const lines = [
      '@echo off',
      `rem ${WRAPPER_MARKER}: written by alicloud-signin cli-config; safe to delete.`,
      ...(home ? [`set "${HOME_ENV}=${home.replace(/%/g, '%%')}"`] : []),
      `${argv.map(q).join(' ')} %*`,
    ];
    return { name, fileName: `${name}.cmd`, content: `${lines.join('\r\n')}\r\n` };
  }
  const lines = [
    '#!/bin/sh',
    `# ${WRAPPER_MARKER}: written by alicloud-signin cli-config, because the aliyun CLI`,
    '# cannot run a path with spaces or quotes from process_command. Safe to delete.',
    ...(home ? [`${HOME_ENV}=${shQuote(home)}`, `export ${HOME_ENV}`] : []),
    `exec ${argv.map(shQuote).join(' ')} "$@"`,
  ];
  return { name, fileName: name, content: `${lines.join('\n')}\n` };
}
