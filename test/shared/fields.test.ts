import { describe, expect, it } from 'vitest';
import {
  CALLBACK_PATH,
  isHttpsUrl,
  isRegion,
  normaliseRegion,
  parsePortRange,
  portRangeText,
  PROFILE_NAME,
} from '../../shared/fields.js';
import { Endpoints, PortRange, Profile, Redirect, Region } from '../../main/services/profiles/schema.js';

// The field rules the form, the CLI and the schema share: what each says, and that the schema
// (which refines with them) accepts exactly what they accept.

describe('ports as a person types them', () => {
  it('reads a range, one port, 0 or any, and refuses the rest', () => {
    expect(parsePortRange('')).toBeUndefined();
    expect(parsePortRange('12345-12349')).toEqual({ from: 12345, to: 12349 });
    expect(parsePortRange(' 12345 - 12349 ')).toEqual({ from: 12345, to: 12349 });
    expect(parsePortRange('43123')).toEqual({ from: 43123, to: 43123 });
    expect(parsePortRange('0')).toBe(0);
    expect(parsePortRange('any')).toBe(0);
    expect(parsePortRange('80')).toBeNull();
    expect(parsePortRange('9-2')).toBeNull();
    expect(parsePortRange('0-0')).toBeNull();
    expect(parsePortRange('65535-65536')).toBeNull();
    expect(parsePortRange('a')).toBeNull();
  });

  it('shows a range the way it is typed back', () => {
    for (const text of ['12345-12349', '43123', 'any']) {
      const ports = parsePortRange(text);
      expect(ports === undefined || ports === null ? text : portRangeText(ports)).toBe(text);
    }
  });

  it('agree with the schema on every range they read', () => {
    for (const text of ['1024', '1023', '65535', '2000-1999', '2000-2000', '0', 'any', '5-7']) {
      const ports = parsePortRange(text);
      expect(PortRange.safeParse(ports).success, text).toBe(ports !== null && ports !== undefined);
    }
  });
});

describe('regions', () => {
  it('take the endpoint prefix form and capitals, stored in the one form', () => {
    expect(normaliseRegion(' OSS-cn-Hangzhou ')).toBe('cn-hangzhou');
    expect(normaliseRegion('oss-oss-cn-beijing')).toBe('cn-beijing');
    expect(Region.parse('oss-cn-hangzhou')).toBe('cn-hangzhou');
  });

  it('agree with the schema', () => {
    for (const text of ['cn-hangzhou', 'oss-ap-southeast-1', 'CN-SHANGHAI', 'x', 'cn_hangzhou', 'oss-', '']) {
      expect(Region.safeParse(text).success, text).toBe(isRegion(text));
    }
  });
});

describe('names, paths and URLs', () => {
  it('a profile name as the schema takes it', () => {
    for (const name of ['prod', 'a.b_c-1', '-x', 'x y', 'é', 'a'.repeat(64), 'a'.repeat(65)]) {
      expect(Profile.shape.name.safeParse(name).success, name).toBe(PROFILE_NAME.test(name));
    }
  });

  it('a callback path as the schema takes it', () => {
    for (const path of ['/callback', '/cli/callback', 'callback', '/a b', '/~x.y-z']) {
      const redirect = { kind: 'loopback', ports: 0, callbackPath: path };
      expect(Redirect.safeParse(redirect).success, path).toBe(CALLBACK_PATH.test(path));
    }
  });

  it('https only, as the schema takes endpoints', () => {
    const base = {
      issuer: 'https://a.example',
      authorization: 'https://a.example/auth',
      token: 'https://a.example/token',
      jwks: 'https://a.example/keys',
    };
    for (const url of [
      'https://x.example/p',
      'http://x.example',
      'ftp://x',
      'https:/x',
      'not a url',
      ' https://x.example ',
    ]) {
      expect(Endpoints.safeParse({ ...base, token: url }).success, url).toBe(isHttpsUrl(url));
    }
  });
});
