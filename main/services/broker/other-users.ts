import { readFile } from 'node:fs/promises';
import { ownUid } from './private-dir.js';

/** A person's account in the passwd database. */
export interface HumanUser {
  name: string;
  uid: number;
}

/** Shells that mean "nobody logs in here". */
const NO_LOGIN = /(?:^|\/)(?:nologin|false)$/;

/**
 * The other people who can log in to this machine: entries of `/etc/passwd` with a uid of 1000 or
 * more (where Debian, Ubuntu, Fedora and Arch start people's accounts), other than the current
 * user, whose shell lets them in (not nologin/false), and not `nobody` (65534). Where there are
 * any, a CredentialsURI on 127.0.0.1 is reachable by someone else: `cli-config link` prefers
 * External mode then. Empty when the file cannot be read, and on macOS and Windows (accounts
 * there live in a directory service, not in /etc/passwd).
 */
export async function otherHumanUsers(
  options: { passwdFile?: string; uid?: number | undefined; platform?: NodeJS.Platform } = {},
): Promise<HumanUser[]> {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32' || platform === 'darwin') return [];
  const text = await readFile(options.passwdFile ?? '/etc/passwd', 'utf8').catch(() => '');
  const me = 'uid' in options ? options.uid : ownUid();
  // An empty shell field means /bin/sh: that account can log in.
  return parsePasswd(text)
    .filter((u) => u.uid >= 1000 && u.uid !== 65534 && u.uid !== me && !NO_LOGIN.test(u.shell))
    .map(({ name, uid }) => ({ name, uid }));
}

function parsePasswd(text: string): (HumanUser & { shell: string })[] {
  const users: (HumanUser & { shell: string })[] = [];
  for (const line of text.split('\n')) {
    // name:password:uid:gid:gecos:home:shell
    const fields = line.split(':');
    if (fields.length < 7 || line.startsWith('#')) continue;
    const uid = Number(fields[2]);
    if (!Number.isInteger(uid) || !fields[0]) continue;
    users.push({ name: fields[0], uid, shell: (fields[6] ?? '').trim() });
  }
  return users;
}
