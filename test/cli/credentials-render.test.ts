import { describe, expect, it } from 'vitest';
import { bucketTable, bucketsJson } from '../../main/cli/commands/buckets.js';
import { renderCredentials } from '../../main/cli/commands/credentials.js';
import type { StsCredentials } from '../../main/services/oss/types.js';

const CREDS: StsCredentials = {
  accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2Xa',
  accessKeySecret: '9NG2Yw4Dtjr+4MqoVo/P6fs=',
  securityToken: 'CAIS+AF1q6Ft5B2yfSjIr5bSEsvbn+1',
  expiration: new Date('2026-11-22T02:21:56.000Z'),
};

describe('credentials output', () => {
  it('external: one line, one object, in the External-mode field names', () => {
    const text = renderCredentials('external', { name: 'p' }, CREDS);
    expect(text).not.toContain('\n');
    expect(JSON.parse(text)).toEqual({
      mode: 'StsToken',
      access_key_id: CREDS.accessKeyId,
      access_key_secret: CREDS.accessKeySecret,
      sts_token: CREDS.securityToken,
      expiration: '2026-11-22T02:21:56Z',
    });
  });

  it('env: base64 values bare, anything else single-quoted for the shell', () => {
    expect(renderCredentials('env', { name: 'p' }, CREDS).split('\n')).toEqual([
      `export ALIBABA_CLOUD_ACCESS_KEY_ID=${CREDS.accessKeyId}`,
      `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${CREDS.accessKeySecret}`,
      `export ALIBABA_CLOUD_SECURITY_TOKEN=${CREDS.securityToken}`,
    ]);
    const odd = renderCredentials('env', { name: 'p' }, { ...CREDS, securityToken: "a b'$(x)" });
    expect(odd.split('\n')[2]).toBe(`export ALIBABA_CLOUD_SECURITY_TOKEN='a b'\\''$(x)'`);
  });

  it('json: the documented keys', () => {
    expect(JSON.parse(renderCredentials('json', { name: 'p' }, CREDS))).toEqual({
      profile: 'p',
      accessKeyId: CREDS.accessKeyId,
      accessKeySecret: CREDS.accessKeySecret,
      securityToken: CREDS.securityToken,
      expiration: '2026-11-22T02:21:56Z',
    });
  });
});

describe('buckets output', () => {
  const buckets = [
    {
      name: 'a-very-long-bucket-name',
      region: 'cn-hangzhou',
      location: 'oss-cn-hangzhou',
      creationDate: '2024-03-01T10:00:00.000Z',
      storageClass: 'Standard',
      extranetEndpoint: 'oss-cn-hangzhou.aliyuncs.com',
      intranetEndpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
      resourceGroupId: 'rg-1',
    },
    {
      name: 'b',
      region: 'us-west-1',
      location: 'oss-us-west-1',
      creationDate: '2025-01-02T00:00:00.000Z',
      storageClass: '',
      extranetEndpoint: '',
      intranetEndpoint: '',
    },
  ];

  it('aligns the table columns', () => {
    expect(bucketTable(buckets).split('\n')).toEqual([
      'NAME                     REGION       STORAGE CLASS  CREATED     RESOURCE GROUP',
      'a-very-long-bucket-name  cn-hangzhou  Standard       2024-03-01  rg-1',
      'b                        us-west-1                   2025-01-02  -',
    ]);
  });

  it('JSON has every key, null where OSS sent nothing', () => {
    const out = bucketsJson(
      { name: 'p' },
      { endpoint: 'https://oss', owner: { id: '1', displayName: 'one' }, buckets },
    );
    expect(out.count).toBe(2);
    expect(out.buckets[1]).toEqual({
      name: 'b',
      region: 'us-west-1',
      location: 'oss-us-west-1',
      creationDate: '2025-01-02T00:00:00.000Z',
      storageClass: null,
      extranetEndpoint: null,
      intranetEndpoint: null,
      resourceGroupId: null,
    });
  });
});
