import { describe, expect, it } from 'vitest';
import {
  canonicalizedQuery,
  percentEncode,
  rpcSignature,
  rpcStringToSign,
  rpcTimestamp,
  signRpc,
} from '../../../main/services/roles/rpc-signature.js';
import { ramRoleProvider, type LibraryRequest } from '../../helpers/alicloud-credentials.js';

describe('RPC signature 1.0 (HMAC-SHA1)', () => {
  it("matches the published example of Alibaba's signature documentation (DescribeRegions, testid/testsecret)", () => {
    // The parameters of the documented example, spelled as there (TimeStamp included).
    const params = {
      TimeStamp: '2016-02-23T12:46:24Z',
      Format: 'XML',
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      Version: '2014-05-26',
      SignatureVersion: '1.0',
    };
    const stringToSign = rpcStringToSign('GET', params);
    expect(stringToSign).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
        '%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(rpcSignature('testsecret', stringToSign)).toBe('CT9X0VtwR86fNWSnsc6v8YGOjuE=');
    // A Signature already present is never signed over.
    expect(signRpc('GET', { ...params, Signature: 'old' }, 'testsecret').Signature).toBe(
      'CT9X0VtwR86fNWSnsc6v8YGOjuE=',
    );
  });

  it('percent-encodes as the RPC gateway does: unreserved kept, space %20, * %2A, UTF-8 bytes upper case', () => {
    expect(percentEncode('a-b_c.d~e')).toBe('a-b_c.d~e');
    expect(percentEncode("a b*c+d/e:f!g'h(i)")).toBe('a%20b%2Ac%2Bd%2Fe%3Af%21g%27h%28i%29');
    expect(percentEncode('角色')).toBe('%E8%A7%92%E8%89%B2');
    expect(canonicalizedQuery({ b: '2', a: '1', B: '0' })).toBe('B=0&a=1&b=2');
    expect(rpcTimestamp(new Date('2026-11-22T02:21:56.789Z'))).toBe('2026-11-22T02:21:56Z');
  });

  it("gives the same Signature as @alicloud/credentials' RAM-role provider for the request it builds", async () => {
    const secret = 'source-secret/with+odd=chars';
    const source = {
      accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2cS',
      accessKeySecret: secret,
      securityToken: 'CAIS+token/with=padding==',
    };
    const cases = [
      { arn: 'acs:ram::1234567890123456:role/demo-reader', sessionName: 'alicloud-signin-alice' },
      { arn: 'acs:ram::5678901234567890:role/partner.auditor', sessionName: 'a@b.c-d_e', externalId: 'x=1,y:2/z@w' },
    ];
    for (const c of cases) {
      let captured: LibraryRequest | undefined;
      const provider = ramRoleProvider(source, { ...c, durationSeconds: 1800, stsHost: 'sts.example.invalid' });
      provider.doRequest = async (request) => {
        captured = request;
        const body = {
          Credentials: {
            AccessKeyId: 'STS.x',
            AccessKeySecret: 'y',
            SecurityToken: 'z',
            Expiration: '2099-01-01T00:00:00Z',
          },
        };
        return { statusCode: 200, headers: {}, body: Buffer.from(JSON.stringify(body)) };
      };
      await provider.getCredentials();
      if (!captured) throw new Error('the library sent nothing');
      const { Signature: theirs, ...queries } = captured.queries;
      const all = { ...queries, ...captured.bodyForm };
      expect(theirs).toMatch(/^[A-Za-z0-9+/]{27}=$/);
      expect(rpcSignature(secret, rpcStringToSign(captured.method, all))).toBe(theirs);
      // A request that differs in one byte does not verify.
      expect(rpcSignature(secret, rpcStringToSign(captured.method, { ...all, DurationSeconds: '1801' }))).not.toBe(
        theirs,
      );
    }
  });
});
