import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  canonicalUri,
  formatOssDate,
  parseAuthorizationV4,
  parseOssDate,
  signV4,
  type SignV4Request,
} from '../../../main/services/oss/sign-v4.js';

/** ali-oss's own V4 functions (CommonJS, untyped): called directly as the cross-check. */
interface AliSignUtils {
  authorizationV4(
    accessKeyId: string,
    accessKeySecret: string,
    region: string,
    method: string,
    request: { headers: Record<string, string>; queries: Record<string, string | null> },
    bucketName?: string,
    objectName?: string,
    additionalHeaders?: string[],
  ): string;
  getCanonicalRequest(
    method: string,
    request: { headers: Record<string, string>; queries: Record<string, string | null> },
    bucketName?: string,
    objectName?: string,
  ): string;
}
const aliSign = createRequire(import.meta.url)('ali-oss/lib/common/signUtils.js') as AliSignUtils;

// Alibaba's SDK test vector (Go SDK v2 signer_v4_test.go; the same numbers appear in the C++,
// Java, .NET, PHP and Rust SDKs' tests).
const VECTOR: Omit<SignV4Request, 'date'> = {
  method: 'PUT',
  bucket: 'bucket',
  key: '1234+-/123/1.txt',
  accessKeyId: 'ak',
  accessKeySecret: 'sk',
  region: 'cn-hangzhou',
  headers: {
    'x-oss-head1': 'value',
    abc: 'value',
    ZAbc: 'value',
    XYZ: 'value',
    'content-type': 'text/plain',
    'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
  },
  query: [
    ['param1', 'value1'],
    ['+param1', 'value3'],
    ['|param1', 'value4'],
    ['+param2', ''],
    ['|param2', ''],
    ['param2', ''],
  ],
};

describe('signV4 known answers (Alibaba SDK vectors)', () => {
  it('signs the basic vector', () => {
    const signed = signV4({ ...VECTOR, date: new Date(1702743657 * 1000) });
    expect(signed.headers['x-oss-date']).toBe('20231216T162057Z');
    expect(signed.signature).toBe('e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe');
    expect(signed.headers['Authorization']).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
    expect(signed.canonicalRequest).toBe(
      [
        'PUT',
        '/bucket/1234%2B-/123/1.txt',
        '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2',
        'content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n',
        '',
        'UNSIGNED-PAYLOAD',
      ].join('\n'),
    );
    expect(signed.stringToSign.split('\n').slice(0, 3)).toEqual([
      'OSS4-HMAC-SHA256',
      '20231216T162057Z',
      '20231216/cn-hangzhou/oss/aliyun_v4_request',
    ]);
  });

  it('signs the security-token vector and sends the token', () => {
    const signed = signV4({ ...VECTOR, securityToken: 'token', date: new Date(1702784856 * 1000) });
    expect(signed.signature).toBe('b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea');
    expect(signed.headers['x-oss-security-token']).toBe('token');
  });

  it('signs the additional-headers vector', () => {
    const signed = signV4({ ...VECTOR, additionalHeaders: ['ZAbc', 'abc'], date: new Date(1702747512 * 1000) });
    expect(signed.authorization).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,' +
        'Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f',
    );
  });
});

describe('canonical pieces', () => {
  it('encodes the URI except for slashes', () => {
    expect(canonicalUri()).toBe('/');
    expect(canonicalUri('b', 'a b/ü*(x)')).toBe('/b/a%20b/%C3%BC%2A%28x%29');
  });

  it('sorts by encoded name, signs empty and null values as bare names, skips undefined', () => {
    expect(canonicalQuery({ prefix: '', 'max-keys': '1000', marker: 'a b', acl: null, gone: undefined })).toBe(
      'acl&marker=a%20b&max-keys=1000&prefix',
    );
    expect(
      canonicalQuery([
        ['Z', '1'],
        ['a', '2'],
      ]),
    ).toBe('Z=1&a=2');
  });

  it('formats and parses x-oss-date strictly', () => {
    expect(formatOssDate(new Date('2024-02-29T23:59:58.999Z'))).toBe('20240229T235958Z');
    expect(parseOssDate('20240229T235958Z')?.toISOString()).toBe('2024-02-29T23:59:58.000Z');
    expect(parseOssDate('20230229T000000Z')).toBeUndefined();
    expect(parseOssDate('Tue, 20 Dec 2022 08:48:18 GMT')).toBeUndefined();
  });

  it('parses what it formats, and refuses malformed Authorization headers', () => {
    const signed = signV4({ ...VECTOR, additionalHeaders: ['abc'], date: new Date(1702747512 * 1000) });
    expect(parseAuthorizationV4(signed.authorization)).toEqual({
      accessKeyId: 'ak',
      day: '20231216',
      region: 'cn-hangzhou',
      product: 'oss',
      additionalHeaders: ['abc'],
      signature: signed.signature,
    });
    for (const bad of [
      'OSS ak:c2lnbmF0dXJl',
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request',
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aws4_request,Signature=' + 'a'.repeat(64),
      'OSS4-HMAC-SHA256 Credential=ak/2023121/cn-hangzhou/oss/aliyun_v4_request,Signature=' + 'a'.repeat(64),
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=XYZ',
    ]) {
      expect(parseAuthorizationV4(bad), bad).toBeUndefined();
    }
  });
});

describe('cross-check with ali-oss signUtils (authorizationV4: true)', () => {
  const listBucketsRequest = (query: Record<string, string>): Omit<SignV4Request, 'date'> => ({
    method: 'GET',
    query,
    headers: { 'x-oss-resource-group-id': 'rg-acfmprod00002' },
    accessKeyId: 'STS.NUg2fKyA1kTQ',
    accessKeySecret: 'b3Y8w1Sk2ZL8Xp1qAbCdEf',
    securityToken: 'CAIS9gF1q6Ft5B2yfSjIr5bgIOz31blR9oWmWBfCs3kDR/xm3Imc1zz2IHxMdHJsCeAcs',
    region: 'cn-hangzhou',
  });

  it.each([
    ['first page', { 'max-keys': '1000' }],
    ['later page with prefix', { 'max-keys': '1000', prefix: 'logs-', marker: 'logs-cn-beijing-00042' }],
    ['names and values that need encoding', { 'max-keys': '7', prefix: 'a b+c/ü', marker: "x*y'(z)!" }],
  ])('produces the same Authorization for ListBuckets: %s', (_name, query) => {
    const request = listBucketsRequest(query);
    const signed = signV4({ ...request, date: new Date('2026-03-01T12:34:56Z') });
    const { Authorization: ours, ...sent } = signed.headers;
    expect(
      aliSign.authorizationV4(request.accessKeyId, request.accessKeySecret, 'cn-hangzhou', 'GET', {
        headers: sent,
        queries: query,
      }),
    ).toBe(ours);
  });

  it('produces the same Authorization for the SDK vector', () => {
    const signed = signV4({ ...VECTOR, additionalHeaders: ['abc', 'ZAbc'], date: new Date(1702747512 * 1000) });
    const { Authorization: ours, ...sent } = signed.headers;
    const queries = Object.fromEntries(
      (VECTOR.query as Array<[string, string]>).map(([k, v]) => [k, v === '' ? null : v]),
    );
    expect(
      aliSign.authorizationV4('ak', 'sk', 'cn-hangzhou', 'PUT', { headers: sent, queries }, 'bucket', VECTOR.key, [
        'abc',
        'ZAbc',
      ]),
    ).toBe(ours);
  });

  it('differs where ali-oss departs from the spec: an empty string value and mixed-case names', () => {
    // ali-oss (qs.stringify) signs `prefix=` for '' where the spec (and Alibaba's other SDKs) keep the bare name,
    // and it sorts with localeCompare rather than by bytes.
    const aliCanonical = aliSign.getCanonicalRequest('GET', { headers: {}, queries: { prefix: '', Z: '1', a: '2' } });
    expect(aliCanonical.split('\n')[2]).toBe('a=2&prefix=&Z=1');
    expect(canonicalQuery({ prefix: '', Z: '1', a: '2' })).toBe('Z=1&a=2&prefix');
  });
});
