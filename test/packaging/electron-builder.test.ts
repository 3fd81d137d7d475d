import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { APP_URL_SCHEME } from '../../main/services/auth/signin.js';

const require = createRequire(import.meta.url);
// js-yaml comes with electron-builder, which reads this file with it too.
const yaml = require('js-yaml') as { load(text: string): unknown };
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

const config = yaml.load(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own JSON schema', () => {
    const validate = validator();
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check is real: a wrong key or type fails', () => {
    const validate = validator();
    expect(validate({ ...config, protocol: { schemes: ['x'] } })).toBe(false);
    expect(validate({ ...config, linux: { target: 42 } })).toBe(false);
  });

  it('registers the URL scheme the sign-in redirect uses', () => {
    const schemes = (config.protocols as { schemes: string[] }[]).flatMap((protocol) => protocol.schemes);
    expect(schemes).toContain(APP_URL_SCHEME);
  });

  it('unpacks the native binary npm installed for the keychain from the asar', () => {
    const unpack = config.asarUnpack as string[];
    const binaries = installedKeyringBinaries();
    expect(binaries.length, 'no @napi-rs/keyring binary installed').toBeGreaterThan(0);
    for (const file of binaries)
      expect(
        unpack.some((glob) => matchesGlob(file, glob)),
        file,
      ).toBe(true);
  });

  it('ships the entry package.json names and the built window, and none of the sources', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { main: string };
    const ships = (file: string) => {
      // electron-builder's rule: the last pattern that matches decides (a leading ! excludes).
      let shipped = false;
      for (const glob of config.files as string[]) {
        if (glob.startsWith('!') ? matchesGlob(file, glob.slice(1)) : matchesGlob(file, glob))
          shipped = !glob.startsWith('!');
      }
      return shipped;
    };
    for (const file of [pkg.main, 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) {
      expect(ships(file), file).toBe(true);
    }
    for (const file of [
      'main/shell/index.ts',
      'renderer/main.tsx',
      'test/global-setup.ts',
      'out/cli/main.mjs',
      'out/main/index.js.map',
    ]) {
      expect(ships(file), file).toBe(false);
    }
  });
});

/** The keychain's .node files as installed, relative to the project (what electron-builder packs). */
function installedKeyringBinaries(): string[] {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const scope = join(root, 'node_modules/@napi-rs');
  return readdirSync(scope)
    .filter((name) => name.startsWith('keyring'))
    .flatMap((name) =>
      readdirSync(join(scope, name))
        .filter((file) => file.endsWith('.node'))
        .map((file) => `node_modules/@napi-rs/${name}/${file}`),
    );
}
