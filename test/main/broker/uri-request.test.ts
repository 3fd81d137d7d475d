import { describe, expect, it } from 'vitest';
import { checkUriRequest, credentialsUri, hostAllowed } from '../../../main/services/broker/uri-request.js';
import { expirationText, successBody } from '../../../main/services/broker/uri-body.js';

const PORT = 7878;
const SECRET = 'a'.repeat(43);
const PATH = `/v1/credentials/profile_01/${SECRET}`;
const req = (over: { method?: string; url?: string; host?: string; origin?: string } = {}) => ({
  method: over.method ?? 'GET',
  url: over.url ?? PATH,
  headers: {
    host: 'host' in over ? over.host : `127.0.0.1:${PORT}`,
    ...(over.origin !== undefined ? { origin: over.origin } : {}),
  },
});

describe('CredentialsURI request checks', () => {
  it('accepts GET on the credentials path addressed to 127.0.0.1 or localhost with our port', () => {
    expect(checkUriRequest(req(), PORT)).toEqual({ kind: 'credentials', profileId: 'profile_01', secret: SECRET });
    expect(checkUriRequest(req({ host: `LocalHost:${PORT}` }), PORT).kind).toBe('credentials');
  });

  it.each([
    ['a rebinding name', `evil.example:${PORT}`],
    ['another port', '127.0.0.1:7879'],
    ['no port', '127.0.0.1'],
    ['IPv6 loopback (we bind 127.0.0.1 only)', `[::1]:${PORT}`],
    ['no Host at all', undefined],
  ])('refuses a foreign Host: %s', (_what, host) => {
    expect(checkUriRequest(req({ host }), PORT)).toMatchObject({
      kind: 'refused',
      reason: 'foreign-host',
      status: 421,
    });
  });

  it('refuses any Origin header, even a loopback one', () => {
    for (const origin of ['https://evil.example', `http://127.0.0.1:${PORT}`, 'null', '']) {
      expect(checkUriRequest(req({ origin }), PORT)).toMatchObject({ kind: 'refused', reason: 'origin', status: 403 });
    }
  });

  it('refuses every method but GET', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']) {
      expect(checkUriRequest(req({ method }), PORT)).toMatchObject({ kind: 'refused', reason: 'method', status: 405 });
    }
  });

  it.each([
    '/',
    '/v1/credentials/',
    '/v1/credentials/profile_01',
    `/v1/credentials/profile_01/${SECRET}/`,
    `/v1/credentials/profile_01/${SECRET}?x=1`,
    `/v1/credentials/profile_01/${SECRET.slice(1)}`,
    `/v1/credentials/profile_01/${SECRET}a`,
    `/v1/credentials/../profile_01/${SECRET}`,
    `/V1/credentials/profile_01/${SECRET}`,
    `/v1/credentials/short/${SECRET}`,
  ])('refuses the unknown path %s', (url) => {
    expect(checkUriRequest(req({ url }), PORT)).toMatchObject({ kind: 'refused', reason: 'not-found', status: 404 });
  });

  it('takes a bare host only on port 80', () => {
    expect(hostAllowed('localhost', 80)).toBe(true);
    expect(hostAllowed('localhost', PORT)).toBe(false);
  });

  it('builds URLs on the literal loopback IP', () => {
    expect(credentialsUri(PORT, 'profile_01', SECRET)).toBe(`http://127.0.0.1:${PORT}${PATH}`);
  });
});

describe('CredentialsURI body', () => {
  it('is exactly the five fields, Expiration in whole seconds UTC', () => {
    const body = JSON.parse(
      successBody({
        accessKeyId: 'STS.id',
        accessKeySecret: 's',
        securityToken: 't',
        expiration: new Date('2030-01-02T03:04:05.678Z'),
      }),
    );
    expect(body).toEqual({
      Code: 'Success',
      AccessKeyId: 'STS.id',
      AccessKeySecret: 's',
      SecurityToken: 't',
      Expiration: '2030-01-02T03:04:05Z',
    });
    expect(Object.keys(body)).toEqual(['Code', 'AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'Expiration']);
    expect(expirationText(new Date('2030-01-02T03:04:05Z'))).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
});

describe('ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS', () => {
  it('is detected and explained when it turns both modes off', async () => {
    const { externalProcessWarning } = await import('../../../main/services/broker/env.js');
    expect(externalProcessWarning({})).toBeUndefined();
    for (const value of ['1', 'true', 'TRUE']) {
      expect(externalProcessWarning({ ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS: value })).toMatch(
        /process_command.*credentials_uri/,
      );
    }
    expect(externalProcessWarning({ ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS: 'no' })).toContain('no effect');
  });
});
