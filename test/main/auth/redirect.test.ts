import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRedirect } from '../../../main/services/auth/redirect.js';

const LOOPBACK = { callbackPath: '/cli/callback' };

describe('parseRedirect', () => {
  it('reads a code and state from the loopback callback', () => {
    expect(parseRedirect('http://127.0.0.1:12345/cli/callback?code=abc&state=xyz', LOOPBACK)).toEqual({
      kind: 'code',
      code: 'abc',
      state: 'xyz',
      iss: undefined,
    });
  });

  it('reads a refusal with its description', () => {
    const result = parseRedirect(
      'http://127.0.0.1:12346/cli/callback?error=access_denied&error_description=User%20denied&state=s1',
      LOOPBACK,
    );
    expect(result).toEqual({ kind: 'error', error: 'access_denied', description: 'User denied', state: 's1' });
  });

  it('takes a pasted URL with surrounding white space', () => {
    expect(parseRedirect('  http://127.0.0.1:12345/cli/callback?code=c&state=s \n', LOOPBACK).kind).toBe('code');
  });

  it.each([
    ['another path', 'http://127.0.0.1:12345/other?code=c&state=s'],
    ['localhost instead of 127.0.0.1', 'http://localhost:12345/cli/callback?code=c&state=s'],
    ['https', 'https://127.0.0.1:12345/cli/callback?code=c&state=s'],
    ['a foreign host', 'http://evil.example/cli/callback?code=c&state=s'],
    ['no code and no error', 'http://127.0.0.1:12345/cli/callback?state=s'],
    ['a repeated code', 'http://127.0.0.1:12345/cli/callback?code=a&code=b&state=s'],
    ['not a URL', 'hello there'],
    ['empty', ''],
  ])('says "unknown" for %s', (_, input) => {
    expect(parseRedirect(input, LOOPBACK).kind).toBe('unknown');
  });

  it('matches the app scheme for deep links', () => {
    expect(parseRedirect('alicloud-signin://callback?code=c&state=s', { scheme: 'alicloud-signin' }).kind).toBe('code');
    expect(parseRedirect('other://callback?code=c&state=s', { scheme: 'alicloud-signin' }).kind).toBe('unknown');
  });

  it('never throws and always returns one of the union kinds, for 10,000 generated inputs', () => {
    const kinds = new Set(['code', 'error', 'unknown']);
    const param = fc.tuple(
      fc.constantFrom('code', 'state', 'error', 'error_description', 'iss', 'x'),
      fc.oneof(fc.string(), fc.webSegment(), fc.string({ unit: 'grapheme' })),
    );
    const callbackLike = fc
      .tuple(
        fc.constantFrom('http', 'https', 'alicloud-signin', 'javascript', 'file'),
        fc.constantFrom('127.0.0.1', 'localhost', '[::1]', 'example.com', ''),
        fc.option(fc.integer({ min: 0, max: 70000 })),
        fc.constantFrom('/cli/callback', '/callback', '/', '', '/cli/callback/'),
        fc.array(param, { maxLength: 6 }),
      )
      .map(([scheme, host, port, path, params]) => {
        const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        return `${scheme}://${host}${port === null ? '' : `:${port}`}${path}?${query}`;
      });
    const input = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      callbackLike,
      fc.string(),
      fc.string({ unit: 'grapheme' }),
    );
    const expectation = fc.constantFrom({ callbackPath: '/cli/callback' }, { scheme: 'alicloud-signin' }, {});
    let seen = 0;
    fc.assert(
      fc.property(input, expectation, (text, expected) => {
        seen++;
        const result = parseRedirect(text, expected);
        expect(kinds.has(result.kind)).toBe(true);
        if (result.kind === 'code') expect(result.code.length).toBeGreaterThan(0);
        if (result.kind === 'error') expect(result.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 10_000 },
    );
    expect(seen).toBe(10_000);
  });

  it('survives values that are not strings', () => {
    for (const value of [undefined, null, 42, {}, [], Symbol('x')]) expect(parseRedirect(value).kind).toBe('unknown');
  });
});
