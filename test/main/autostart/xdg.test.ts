import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  autostartFile,
  desktopEntry,
  execArgument,
  execLine,
  HIDDEN_ARG,
  readAutostart,
  xdgLoginItem,
} from '../../../main/services/autostart/index.js';

const run = promisify(execFile);

/** GLib's own reader of desktop entries (`gio launch`), where the machine has it. */
const GIO = await run('gio', ['--version']).then(
  () => true,
  () => false,
);

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'alicloud-signin-autostart-'));
});
afterAll(async () => rm(home, { recursive: true, force: true }));

describe('Exec quoting (Desktop Entry spec, "The Exec key")', () => {
  it('leaves plain arguments bare and quotes those with a reserved character', () => {
    expect(execArgument('/opt/AliCloud/alicloud-signin')).toBe('/opt/AliCloud/alicloud-signin');
    expect(execArgument('--hidden')).toBe('--hidden');
    expect(execArgument('/opt/AliCloud Sign-in/app')).toBe('"/opt/AliCloud Sign-in/app"');
    for (const reserved of ["'", '>', '<', '~', '|', '&', ';', '*', '?', '#', '(', ')', '\t']) {
      expect(execArgument(`a${reserved}b`), reserved).toBe(`"a${reserved}b"`);
    }
    expect(execArgument('')).toBe('""');
  });

  it('escapes " ` $ and \\ inside quotes, and writes % as %%', () => {
    expect(execArgument('say "hi"')).toBe('"say \\"hi\\""');
    expect(execArgument('a$HOME`id`')).toBe('"a\\$HOME\\`id\\`"');
    expect(execArgument('C:\\x')).toBe('"C:\\\\x"');
    expect(execArgument('100%')).toBe('100%%');
    expect(execArgument('100% sure')).toBe('"100%% sure"');
  });

  it('applies the string escapes last, so a backslash in a quoted argument is four in the file', () => {
    expect(execLine(['/a b/c\\d', HIDDEN_ARG])).toBe('"/a b/c\\\\\\\\d" --hidden');
    expect(execLine(['/a\nb'])).toBe('"/a\\nb"');
  });

  it('starts a program whose path holds % through env (GLib looks programs up before undoing %%)', () => {
    expect(execLine(['/opt/100%/app', HIDDEN_ARG])).toBe('env /opt/100%%/app --hidden');
    expect(execLine(['/opt/100% sure/app'])).toBe('env "/opt/100%% sure/app"');
  });

  it('refuses a program path the spec cannot hold', () => {
    expect(() => execLine(['/opt/a=b/app'])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => execLine([])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => execLine(['/opt/app', 'x\0y'])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('the autostart entry', () => {
  it('is a complete desktop entry that starts the app hidden', () => {
    const text = desktopEntry({
      name: 'AliCloud Sign-in',
      comment: 'Keeps the broker running',
      argv: ['/usr/lib/AliCloud Sign-in/alicloud-signin', HIDDEN_ARG],
    });
    expect(text).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.5',
        'Name=AliCloud Sign-in',
        'Comment=Keeps the broker running',
        'Exec="/usr/lib/AliCloud Sign-in/alicloud-signin" --hidden',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  it('lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart (a relative XDG_CONFIG_HOME is ignored)', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/x/conf' }, '/home/a')).toBe('/x/conf/autostart/alicloud-signin.desktop');
    expect(autostartFile({}, '/home/a')).toBe('/home/a/.config/autostart/alicloud-signin.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'conf' }, '/home/a')).toBe(
      '/home/a/.config/autostart/alicloud-signin.desktop',
    );
  });

  it('is off by default, written when turned on, removed when turned off', async () => {
    const config = join(home, 'on-off config');
    const item = xdgLoginItem({
      argv: ['/opt/app', HIDDEN_ARG],
      name: 'AliCloud Sign-in',
      comment: 'c',
      env: { XDG_CONFIG_HOME: config },
    });
    const file = join(config, 'autostart', 'alicloud-signin.desktop');
    expect(item.supported).toBe(true);
    expect(await item.get()).toBe(false);

    await item.set(true);
    expect(await item.get()).toBe(true);
    expect(await readFile(file, 'utf8')).toContain('\nExec=/opt/app --hidden\n');
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    // Turned on twice: still one entry, and no temp file left beside it.
    await item.set(true);
    expect(await readdir(join(config, 'autostart'))).toEqual(['alicloud-signin.desktop']);

    await item.set(false);
    expect(await stat(file).catch(() => 'gone')).toBe('gone');
    expect(await item.get()).toBe(false);
    await item.set(false);
  });

  it('reads an entry switched off in the desktop settings (Hidden, X-GNOME-Autostart-enabled) as off', async () => {
    const dir = join(home, 'switched-off');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'alicloud-signin.desktop');
    const entry = desktopEntry({ name: 'n', comment: 'c', argv: ['/opt/app'] });
    await writeFile(file, entry.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(await readAutostart(file)).toBe(false);
    await writeFile(file, `${entry}Hidden=true\n`);
    expect(await readAutostart(file)).toBe(false);
    // A Hidden key in another group does not count.
    await writeFile(file, `${entry}[Desktop Action x]\nHidden=true\n`);
    expect(await readAutostart(file)).toBe(true);
  });
});

describe.skipIf(!GIO)('the entry as GLib reads it (gio launch runs its Exec line)', () => {
  it('runs a program whose path holds spaces, quotes, $, `, \\ and %, with its arguments unchanged', async () => {
    // The "app": an executable script in a folder whose name holds every character the quoting
    // must survive, recording the path it was started by and its arguments.
    const awkward = join(home, 'Sign-in "apps" $HOME `x` back\\slash 100%');
    await mkdir(awkward, { recursive: true });
    const program = join(awkward, 'alicloud signin');
    const out = join(home, 'argv.json');
    await writeFile(
      program,
      `#!${process.execPath}\nrequire('node:fs').writeFileSync(process.env.OUT_FILE, JSON.stringify(process.argv.slice(1)));\n`,
      { mode: 0o755 },
    );
    const config = join(home, 'gio config');
    const item = xdgLoginItem({
      argv: [program, HIDDEN_ARG, 'a b'],
      name: 'AliCloud Sign-in',
      comment: 'c',
      env: { XDG_CONFIG_HOME: config },
    });
    await item.set(true);
    expect(await readFile(autostartFile({ XDG_CONFIG_HOME: config }), 'utf8')).toContain('back\\\\\\\\slash 100%%');

    await run('gio', ['launch', autostartFile({ XDG_CONFIG_HOME: config })], {
      env: { ...process.env, OUT_FILE: out },
    });
    let argv: string | undefined;
    for (let i = 0; i < 100 && argv === undefined; i++) {
      argv = await readFile(out, 'utf8').catch(() => undefined);
      if (argv === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(JSON.parse(argv ?? 'null')).toEqual([program, HIDDEN_ARG, 'a b']);
  });
});
