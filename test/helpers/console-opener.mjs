#!/usr/bin/env node
// A stand-in browser for `console` tests: records what it was given and what it could see, as
// JSON in $OPENER_RECORD. While it runs (the app waits for the page to be read) it reads the page
// as its owner, then, given $OPENER_OTHER_UID/GID (root only), tries to read it as that other
// local user, and looks for the page's SigninToken in the argv of every process (/proc/*/cmdline).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const record = { argv: process.argv.slice(2) };
let file;
try {
  file = fileURLToPath(process.argv[2]);
  record.file = file;
  const info = statSync(file);
  record.fileMode = info.mode & 0o777;
  record.dirMode = statSync(new URL('.', process.argv[2])).mode & 0o777;
  record.page = readFileSync(file, 'utf8');
} catch (error) {
  record.readError = error instanceof Error ? error.message : String(error);
}

const { OPENER_OTHER_UID: otherUid, OPENER_OTHER_GID: otherGid } = process.env;

/** `cat` as the other user, with no groups: 'read' or 'refused'. */
function asOtherUser(path) {
  try {
    execFileSync('setpriv', [`--reuid=${otherUid}`, `--regid=${otherGid}`, '--clear-groups', 'cat', path], {
      stdio: 'pipe',
    });
    return 'read';
  } catch {
    return 'refused';
  }
}
if (otherUid && otherGid && file) {
  record.otherUser = asOtherUser(file);
  if (process.env.OPENER_CONTROL_FILE) record.otherUserControl = asOtherUser(process.env.OPENER_CONTROL_FILE);
}

const token = /SigninToken=([^&"]+)/.exec(record.page ?? '')?.[1];
if (token) {
  const forms = [token, decodeURIComponent(token)];
  record.tokenInArgv = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (forms.some((form) => cmdline.includes(form))) record.tokenInArgv.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
}
writeFileSync(process.env.OPENER_RECORD, JSON.stringify(record), { mode: 0o600 });
