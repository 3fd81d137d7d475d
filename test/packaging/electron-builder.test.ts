import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

const config = yaml.load(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as Record<string, unknown>;

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

  it('names the app, registers the sign-in URL scheme and builds each platform’s installer', () => {
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.productName).toBe('AliCloud Sign-in');
    expect(config.protocols).toEqual([{ name: 'AliCloud Sign-in', schemes: [APP_URL_SCHEME] }]);
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.mac as { target: string }).target).toBe('dmg');
    expect((config.win as { target: string }).target).toBe('nsis');
  });

  it('unpacks the keychain’s native binary from the asar, and turns off Electron’s run-as-Node', () => {
    const unpack = config.asarUnpack as string[];
    expect(unpack.some((glob) => glob.includes('@napi-rs/keyring') && glob.endsWith('*.node'))).toBe(true);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, onlyLoadAppFromAsar: true });
  });

  it('ships the built app (whose entry package.json names) and not the sources', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { main: string; name: string };
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.name).toBe('alicloud-signin');
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    expect((config.files as string[]).some((glob) => /^(main|renderer|preload|test)\//.test(glob))).toBe(false);
  });
});
