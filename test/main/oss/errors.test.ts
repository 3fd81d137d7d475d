import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ossFailureToAppError,
  parseOssErrorBody,
  redact,
  type OssErrorBody,
} from '../../../main/services/oss/errors.js';
import { gap, nonEmptyText, plainText, prolog, tagSpace, textWriting, writeText } from '../../helpers/xml-writer.js';

const SECRETS = ['STS.NUxyz123', 'secret-abc-123', 'CAIS-token-456'];

describe('parseOssErrorBody', () => {
  it('reads the fields of an OSS error document as OSS writes it', () => {
    const text =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>RequestTimeTooSkewed</Code>\n' +
      '  <Message>The difference between the request time and the current time is too large.</Message>\n' +
      '  <RequestId>5C3D9175B6FC201293AD****</RequestId>\n  <HostId>oss-cn-hangzhou.aliyuncs.com</HostId>\n' +
      '  <MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>\n' +
      '  <RequestTime>2026-11-22T01:00:00.000Z</RequestTime>\n  <ServerTime>2026-11-22T02:02:00.000Z</ServerTime>\n' +
      '  <EC>0002-00000504</EC>\n</Error>\n';
    expect(parseOssErrorBody(text)).toStrictEqual({
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
      requestId: '5C3D9175B6FC201293AD****',
      ec: '0002-00000504',
      requestTime: '2026-11-22T01:00:00.000Z',
      serverTime: '2026-11-22T02:02:00.000Z',
    });
  });

  it('decodes what the message escapes, and leaves out empty optional fields', () => {
    const body = parseOssErrorBody(
      '<Error><Code>AccessDenied</Code><Message>You have no right to access this &lt;bucket&gt; &amp; <![CDATA[<its> objects]]>.</Message>' +
        '<RequestId></RequestId><EC/></Error>',
    );
    expect(body).toStrictEqual({
      code: 'AccessDenied',
      message: 'You have no right to access this <bucket> & <its> objects.',
      requestId: undefined,
      ec: undefined,
      requestTime: undefined,
      serverTime: undefined,
    });
  });

  it.each([
    ['an HTML page', '<html><body><h1>502 Bad Gateway</h1><hr></body></html>'],
    ['plain text', 'Service Unavailable'],
    ['nothing', ''],
    ['a bucket list', '<ListAllMyBucketsResult><Owner><ID>1</ID></Owner></ListAllMyBucketsResult>'],
    ['an Error without a Code', '<Error><Message>m</Message></Error>'],
    ['an Error with an empty Code', '<Error><Code></Code><Message>m</Message></Error>'],
    ['a cut Error', '<Error><Code>AccessDenied</Code><Message>m</Mess'],
    ['an Error with a bare &', '<Error><Code>AccessDenied</Code><Message>a & b</Message></Error>'],
  ])('gives undefined for %s', (_name, text) => {
    expect(parseOssErrorBody(text)).toBeUndefined();
  });

  it('reads an error document in any field order and spelling', () => {
    const field = (name: string, text: fc.Arbitrary<string>) =>
      fc.record({ name: fc.constant(name), text, how: textWriting, before: gap, space: tagSpace });
    const document = fc.record({
      head: prolog,
      fields: fc
        .tuple(
          field('Code', plainText),
          field('Message', nonEmptyText(20)),
          field('RequestId', plainText),
          field('HostId', plainText),
          field('EC', plainText),
        )
        .chain((fields) => fc.shuffledSubarray(fields, { minLength: fields.length })),
    });
    fc.assert(
      fc.property(document, ({ head, fields }) => {
        const inner = fields
          .map((f) => `${f.before}<${f.name}${f.space}>${writeText(f.text, f.how)}</${f.name}${f.space}>`)
          .join('');
        const value = (name: string): string => fields.find((f) => f.name === name)!.text;
        const expected: OssErrorBody = {
          code: value('Code'),
          message: value('Message'),
          requestId: value('RequestId'),
          ec: value('EC'),
          requestTime: undefined,
          serverTime: undefined,
        };
        expect(parseOssErrorBody(`${head}<Error>${inner}</Error>`)).toStrictEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('ossFailureToAppError', () => {
  const failure = (body: Partial<OssErrorBody> & { code: string }, status = 403) => ({
    status,
    body: { message: '', ...body },
    requestId: 'REQ-HEADER',
    secrets: SECRETS,
  });

  it.each([
    ['SecurityTokenExpired', 'OSS_SECURITY_TOKEN_EXPIRED'],
    ['AccessDenied', 'OSS_ACCESS_DENIED'],
    ['InvalidAccessKeyId', 'OSS_INVALID_ACCESS_KEY'],
    ['InvalidSecurityToken', 'OSS_INVALID_ACCESS_KEY'],
    ['SignatureDoesNotMatch', 'OSS_SIGNATURE_MISMATCH'],
    ['RequestTimeTooSkewed', 'OSS_CLOCK_SKEW'],
    ['NoSuchBucket', 'OSS_ERROR'],
  ])('maps %s to %s, naming the request id of the header', (code, expected) => {
    const error = ossFailureToAppError(failure({ code, requestId: 'REQ-BODY', ec: '0003-00000001' }));
    expect(error.code).toBe(expected);
    expect(error.message).toContain('(For support: request ID REQ-HEADER, EC 0003-00000001.)');
  });

  it('quotes what OSS said without the credentials in use', () => {
    const error = ossFailureToAppError(
      failure({ code: 'AccessDenied', message: `Denied for ${SECRETS[0]} with\n token ${SECRETS[2]}` }),
    );
    expect(error.message).toContain('OSS said: "Denied for [redacted] with token [redacted]"');
    for (const secret of SECRETS) expect(error.message).not.toContain(secret);
  });

  it('says how far the clocks are apart when OSS reported both times', () => {
    const error = ossFailureToAppError(
      failure({
        code: 'RequestTimeTooSkewed',
        requestTime: '2026-11-22T01:00:00.000Z',
        serverTime: '2026-11-22T02:02:00.000Z',
      }),
    );
    expect(error.message).toMatch(/clock is about 62 minutes behind OSS's clock/);
    expect(ossFailureToAppError(failure({ code: 'RequestTimeTooSkewed' })).message).toMatch(/more than 15 minutes/);
  });
});

describe('redact', () => {
  it('replaces every occurrence of every secret of 4 characters or more', () => {
    expect(redact('a STS.NUxyz123 b STS.NUxyz123 abc', [...SECRETS, 'abc'])).toBe('a [redacted] b [redacted] abc');
  });
});
