import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokerProof, clientProof, newNonce, proofsMatch } from '../../../main/services/broker/handshake.js';
import { parseAnswer, parseWireCredentials } from '../../../main/services/broker/local-protocol.js';
import { renderCredentials } from '../../../main/services/broker/render.js';

// What the client accepts from a broker, and the handshake that comes before: a broker answer is
// fields in fixed charsets (never text to print), and the token itself is never sent.

const run = promisify(execFile);
const WIRE = {
  accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2Xa',
  accessKeySecret: '9NG2Yw4Dtjr+4MqoVo/P6fs=',
  securityToken: 'CAIS+AF1q6Ft5B2yfSjIr5bSEsvbn+1_-.=',
  expiration: '2026-11-22T02:21:56.000Z',
};
const answer = (credentials: object, extra: object = {}) =>
  JSON.stringify({
    ok: true,
    op: 'credentials',
    profile: { id: 'Qm9vTqg1cU3f0h8x', name: 'prod-cn' },
    credentials,
    ...extra,
  });
const CHARSET = /^[A-Za-z0-9._+/=-]+$/;

describe('answers from the broker', () => {
  it('takes the credential fields and drops anything else, such as rendered text', () => {
    const parsed = parseAnswer(answer(WIRE, { text: 'export X=1; touch /tmp/pwned' }));
    expect(parsed).toEqual({
      ok: true,
      op: 'credentials',
      profile: { id: 'Qm9vTqg1cU3f0h8x', name: 'prod-cn' },
      credentials: WIRE,
    });
  });

  it.each([
    ['command substitution', { accessKeyId: 'STS.$(touch /tmp/x)' }],
    ['a quote and a semicolon', { accessKeySecret: "s'; touch /tmp/x; '" }],
    ['a newline', { securityToken: 'CAIS\nexport PATH=/tmp' }],
    ['a terminal escape', { securityToken: 'CAIS\u001b]0;title\u0007' }],
    ['a space', { accessKeyId: 'STS. x' }],
    ['an empty value', { accessKeySecret: '' }],
    ['an expiration that is not a time', { expiration: 'tomorrow' }],
    ['an impossible date', { expiration: '2026-13-45T99:99:99Z' }],
    ['a number', { accessKeyId: 12 }],
  ])('refuses credentials with %s', (_what, change) => {
    expect(parseAnswer(answer({ ...WIRE, ...change }))).toBeUndefined();
  });

  it('refuses a profile name or an error message with control characters', () => {
    expect(parseAnswer(answer(WIRE).replace('prod-cn', 'prod\\u001b[31m'))).toBeUndefined();
    expect(parseAnswer(JSON.stringify({ ok: false, code: 'NOT_SIGNED_IN', message: 'x\u001b[2Jy' }))).toBeUndefined();
    expect(parseAnswer(JSON.stringify({ ok: false, code: 'NOT_SIGNED_IN', message: 'Run login.' }))).toEqual({
      ok: false,
      code: 'NOT_SIGNED_IN',
      message: 'Run login.',
    });
  });

  it('accepts a value only when every character is in the STS charset (any string)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), (value) => {
        const parsed = parseWireCredentials({ ...WIRE, securityToken: value });
        expect(parsed !== undefined).toBe(CHARSET.test(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('renders accepted credentials so that a shell sets exactly those values and runs nothing else', async () => {
    const values = fc.sample(fc.stringMatching(/^[A-Za-z0-9._+/=-]{1,80}$/), 30);
    const script: string[] = [];
    for (const [i, value] of values.entries()) {
      const creds = parseWireCredentials({ ...WIRE, accessKeySecret: value, securityToken: value });
      expect(creds, value).toBeDefined();
      if (!creds) continue;
      script.push(renderCredentials('env', { name: 'p' }, { ...creds, expiration: new Date(creds.expiration) }));
      script.push(`printf '%s\\n' "${i}:$ALIBABA_CLOUD_SECURITY_TOKEN"`);
    }
    const { stdout } = await run('sh', ['-c', script.join('\n')]);
    expect(stdout.trimEnd().split('\n')).toEqual(values.map((v, i) => `${i}:${v}`));
  });
});

describe('the handshake', () => {
  const token = 'ab'.repeat(32);

  it('proves the token over both nonces; a wrong token, a swapped nonce or a reflected proof fails', () => {
    const c = newNonce();
    const b = newNonce();
    const proof = brokerProof(token, c, b);
    expect(proof).not.toContain(token);
    expect(proofsMatch(proof, brokerProof(token, c, b))).toBe(true);
    expect(proofsMatch(proof, brokerProof('cd'.repeat(32), c, b))).toBe(false);
    expect(proofsMatch(proof, brokerProof(token, b, c))).toBe(false);
    // The broker's proof cannot stand in for the client's (and back): each side signs its own label.
    expect(proofsMatch(proof, clientProof(token, c, b))).toBe(false);
    expect(proofsMatch('00', proof)).toBe(false);
  });
});
