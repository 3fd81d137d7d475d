import { chmod, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openThroughPrivatePage, privatePageDir, redirectPage } from '../../../main/services/console/index.js';
import type { CliResult } from '../../helpers/cli.js';
import { attackerUser, CAN_PLAY_ATTACKER, NOT_ROOT_REASON } from '../../helpers/other-user.js';
import { HAS_KEYRING } from '../../helpers/signin-fixture.js';
import { startBrokerFixture, type BrokerFixture } from '../../helpers/broker-fixture.js';

// `console` hands the browser a private page, never the sign-in URL: argv is readable by every
// local user (/proc/PID/cmdline), the URL signs in whoever opens it first.

const OPENER = fileURLToPath(new URL('../../helpers/console-opener.mjs', import.meta.url));
if (!CAN_PLAY_ATTACKER) console.warn(`console page, the other-user check: ${NOT_ROOT_REASON}`);

interface OpenerRecord {
  argv: string[];
  file?: string;
  fileMode?: number;
  dirMode?: number;
  page?: string;
  readError?: string;
  otherUser?: 'read' | 'refused';
  otherUserControl?: 'read' | 'refused';
  tokenInArgv?: string[];
}

const LOGIN = 'https://signin.aliyun.com/federation?Action=Login&SigninToken=abc';

let fx: BrokerFixture;
let result: CliResult;
let record: OpenerRecord;
let took: number;

beforeAll(async () => {
  if (!HAS_KEYRING) return;
  fx = await startBrokerFixture();
  // Everyone may walk to the data dir and read a plain file in it (the control): only the page's
  // own folder and mode keep another user out.
  await chmod(fx.home, 0o755);
  await chmod(fx.dataDir, 0o755);
  const control = join(fx.dataDir, 'readable.txt');
  await writeFile(control, 'readable\n');
  await chmod(control, 0o644);
  const recordFile = join(fx.home, 'opener.json');
  const other = CAN_PLAY_ATTACKER ? await attackerUser() : undefined;
  const started = Date.now();
  result = await fx.cli(['console', 'demo'], {
    env: {
      BROWSER: `${process.execPath} ${OPENER}`,
      OPENER_RECORD: recordFile,
      OPENER_CONTROL_FILE: control,
      ...(other ? { OPENER_OTHER_UID: String(other.uid), OPENER_OTHER_GID: String(other.gid) } : {}),
      // The data dir, not a runtime dir, so the test controls every folder above the page.
      XDG_RUNTIME_DIR: '',
    },
  });
  took = Date.now() - started;
  record = JSON.parse(await readFile(recordFile, 'utf8')) as OpenerRecord;
}, 120_000);
afterAll(async () => {
  await fx?.close();
});

/** The Login URL the page sends the browser to. */
function pageTarget(page: string): string {
  const attr = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(page)?.[1] ?? '';
  return attr.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

describe.skipIf(!HAS_KEYRING)('console through a private page', () => {
  it('gives the browser a file:// path only; the SigninToken is on no command line', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(record.readError).toBeUndefined();
    expect(record.argv).toHaveLength(1);
    expect(record.argv[0]).toMatch(/^file:\/\/\//);
    expect(record.argv[0]).not.toMatch(/SigninToken|federation/);
    expect(record.page).toContain('SigninToken=');
    // Scanned while the opener ran: the CLI, the opener and everything else on the machine.
    expect(record.tokenInArgv).toEqual([]);
    expect(result.stdout).toBe('');
    const token = new URL(pageTarget(record.page ?? '')).searchParams.get('SigninToken') as string;
    expect(token.length).toBeGreaterThan(20);
    expect(result.stderr).not.toContain(token);
    expect(result.stderr).toContain('Opened the Alibaba Cloud console as "demo"');
  });

  it('writes the page 0600 in a 0700 folder of the data dir, and deletes it once read', async () => {
    expect(record.file?.startsWith(join(fx.dataDir, 'console'))).toBe(true);
    expect(record.fileMode).toBe(0o600);
    expect(record.dirMode).toBe(0o700);
    await expect(stat(record.file as string)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dirname(record.file as string))).toEqual([]);
    // Read at once by the opener, then the grace: well before the 30 s bound.
    expect(took).toBeLessThan(20_000);
  });

  it('sends the browser on to the one-time Login URL, which signs in once', async () => {
    const target = pageTarget(record.page ?? '');
    expect(record.page).toContain(`location.replace(${JSON.stringify(target).replace(/&/g, '\\u0026')})`);
    expect(new URL(target).searchParams.get('Action')).toBe('Login');
    const agent = new Agent({ connect: { ca: fx.provider.ca } });
    try {
      const first = await fetch(target, { redirect: 'manual', dispatcher: agent });
      expect(first.status).toBe(302);
      expect(first.headers.get('location')).toBe('https://home.console.aliyun.com/');
      expect((await fetch(target, { redirect: 'manual', dispatcher: agent })).status).toBe(403);
    } finally {
      await agent.close();
    }
  });

  it.skipIf(!CAN_PLAY_ATTACKER)('another local user cannot read the page (needs root to act as one)', () => {
    // The control shows that the other user could reach and read a plain file right beside the folder.
    expect(record.otherUserControl).toBe('read');
    expect(record.otherUser).toBe('refused');
  });
});

describe('the private page itself', () => {
  it('is deleted after the bound when nothing reads it, and at once when the opener fails', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'console-page-'));
    let opened = '';
    const started = Date.now();
    await openThroughPrivatePage({
      url: LOGIN,
      dataDir,
      env: {},
      maxLifeMs: 600,
      open: async (url) => void (opened = url),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    await expect(stat(fileURLToPath(opened))).rejects.toMatchObject({ code: 'ENOENT' });

    const failing = openThroughPrivatePage({
      url: LOGIN,
      dataDir,
      env: {},
      open: async () => Promise.reject(new Error('ENOENT xdg-open')),
    });
    await expect(failing).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('--print') });
    expect(await readdir(join(dataDir, 'console'))).toEqual([]);
  });

  it('prefers a private XDG_RUNTIME_DIR, and refuses a folder that is a link', async () => {
    const runtime = await mkdtemp(join(tmpdir(), 'console-run-'));
    expect(await privatePageDir({ XDG_RUNTIME_DIR: runtime }, '/nonexistent')).toBe(
      join(runtime, 'alicloud-signin-console'),
    );
    await chmod(runtime, 0o755); // not private: the data dir instead
    const dataDir = await mkdtemp(join(tmpdir(), 'console-page-'));
    expect(await privatePageDir({ XDG_RUNTIME_DIR: runtime }, dataDir)).toBe(join(dataDir, 'console'));

    const elsewhere = await mkdtemp(join(tmpdir(), 'console-elsewhere-'));
    const linked = await mkdtemp(join(tmpdir(), 'console-page-'));
    await symlink(elsewhere, join(linked, 'console'));
    await expect(privatePageDir({}, linked)).rejects.toMatchObject({ code: 'STORE_IO' });
  });

  it('escapes the URL for the attribute and the script', () => {
    const page = redirectPage('https://signin.aliyun.com/federation?a=1&b="x"</script><script>alert(1)//');
    expect(page).not.toContain('</script><script>alert');
    expect(page).toContain('a=1&#38;b=&#34;x&#34;&#60;/script&#62;');
    expect(page).toContain('\\u003c/script\\u003e');
  });
});
