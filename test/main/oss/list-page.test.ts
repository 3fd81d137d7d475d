import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/services/core/errors.js';
import { parsePage, type PageResult } from '../../../main/services/oss/list-page.js';
import type { Bucket } from '../../../main/services/oss/types.js';
import {
  anyText,
  attributes,
  gap,
  nonEmptyText,
  plainText,
  prolog,
  tagSpace,
  textWriting,
  writeText,
  type TextWriting,
} from '../../helpers/xml-writer.js';

/** Why the page was refused (the part of the message after the status); fails when it was read. */
function refusal(text: string): string {
  let error: unknown;
  try {
    const result = parsePage(text, 200, 'REQ1');
    error = new Error(`read as ${JSON.stringify(result)}`);
  } catch (caught) {
    error = caught;
  }
  if (!isAppError(error)) throw error;
  expect(error.code).toBe('OSS_BAD_RESPONSE');
  expect(error.message).toMatch(/\(For support: request ID REQ1\.\)$/);
  const what = /\(HTTP 200: (.*)\)\. Check/.exec(error.message);
  return what?.[1] ?? error.message;
}

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const OWNER = '<Owner><ID>1234</ID><DisplayName>alice</DisplayName></Owner>';
const B1 =
  '<Bucket><CreationDate>2022-01-17T21:26:34.000Z</CreationDate><ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint>' +
  '<IntranetEndpoint>oss-cn-hangzhou-internal.aliyuncs.com</IntranetEndpoint><Location>oss-cn-hangzhou</Location>' +
  '<Name>logs-1</Name><Region>cn-hangzhou</Region><ResourceGroupId>rg-1</ResourceGroupId><StorageClass>IA</StorageClass></Bucket>';
const B1_OUT: Bucket = {
  name: 'logs-1',
  region: 'cn-hangzhou',
  location: 'oss-cn-hangzhou',
  creationDate: '2022-01-17T21:26:34.000Z',
  storageClass: 'IA',
  extranetEndpoint: 'oss-cn-hangzhou.aliyuncs.com',
  intranetEndpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
  resourceGroupId: 'rg-1',
};
const list = (inner: string): string => `${DECL}<ListAllMyBucketsResult>${inner}</ListAllMyBucketsResult>`;
/** A one-bucket page whose bucket holds `fields` (Location and CreationDate added unless present). */
const withBucket = (fields: string): string =>
  list(
    `${OWNER}<Buckets><Bucket>${fields.includes('<Location') ? '' : '<Location>oss-cn-beijing</Location>'}` +
      `${fields.includes('<CreationDate') ? '' : '<CreationDate>2020-01-01</CreationDate>'}${fields}</Bucket></Buckets>`,
  );
const bucketOf = (fields: string): Bucket => parsePage(withBucket(fields), 200, undefined).buckets[0]!;

describe('parsePage', () => {
  it("reads a page as OSS writes it, field for field and in the Bucket type's key order", () => {
    const result = parsePage(
      list(
        '<Prefix></Prefix><Marker></Marker><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>' +
          `<NextMarker>logs-2</NextMarker>${OWNER}<Buckets>${B1}` +
          '<Bucket><CreationDate>2021-05-05</CreationDate><Location>oss-us-west-1</Location><Name>logs-2</Name></Bucket>' +
          '</Buckets>',
      ),
      200,
      undefined,
    );
    expect(result).toStrictEqual({
      owner: { id: '1234', displayName: 'alice' },
      buckets: [
        B1_OUT,
        {
          name: 'logs-2',
          region: 'us-west-1',
          location: 'oss-us-west-1',
          creationDate: '2021-05-05',
          storageClass: '',
          extranetEndpoint: '',
          intranetEndpoint: '',
        },
      ],
      nextMarker: 'logs-2',
    });
    expect(Object.keys(result.buckets[0]!)).toEqual(Object.keys(B1_OUT));
  });

  it.each<[string, Partial<Bucket>]>([
    ['<Name>n</Name><Region/>', { region: 'cn-beijing' }],
    ['<Name>n</Name><Region></Region><Location>beijing</Location>', { region: 'beijing', location: 'beijing' }],
    ['<Name>n</Name><Location>oss-oss-x</Location>', { region: 'oss-x' }],
    ['<Name>n</Name><StorageClass/><ExtranetEndpoint/>', { storageClass: '', extranetEndpoint: '' }],
    ['<Name>n</Name><ResourceGroupId></ResourceGroupId>', { resourceGroupId: undefined }],
    ['<Name> n\t</Name>', { name: ' n\t' }],
    ['<Name>a<!-- x -->b<![CDATA[<c>]]>&#100;</Name>', { name: 'ab<c>d' }],
    ['<Name>n</Name><Comment>new field</Comment><DataRedundancyType>LRS</DataRedundancyType>', { name: 'n' }],
  ])('fills defaults and derived fields for %j', (fields, expected) => {
    const bucket = bucketOf(fields);
    for (const [key, value] of Object.entries(expected)) {
      expect(bucket[key as keyof Bucket]).toBe(value);
      if (value === undefined) expect(Object.hasOwn(bucket, key)).toBe(false);
    }
  });

  it('accepts what XML allows around the elements: BOM, prolog, comments, white space, attributes', () => {
    const pretty =
      '\ufeff<?xml version="1.0"?>\r\n<!-- list -> <x> -->\n<?pi?>\n<ListAllMyBucketsResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">\n' +
      '  <Owner>\n    <ID>1234</ID>\n  </Owner>\n  <Buckets>\n' +
      `    ${B1.replace(/></g, '>\n      <')}\n` +
      '    <Bucket ><Name >b</Name\n><Location>oss-x</Location><CreationDate>d</CreationDate></Bucket\t>\n' +
      '  </Buckets>\n  <IsTruncated>false</IsTruncated>\n</ListAllMyBucketsResult>\n<!-- end -->\n\t';
    expect(parsePage(pretty, 200, undefined)).toStrictEqual({
      owner: { id: '1234', displayName: '' },
      buckets: [
        B1_OUT,
        {
          name: 'b',
          region: 'x',
          location: 'oss-x',
          creationDate: 'd',
          storageClass: '',
          extranetEndpoint: '',
          intranetEndpoint: '',
        },
      ],
    });
  });

  it('reads IsTruncated and NextMarker', () => {
    const base = (tail: string): string => list(`${OWNER}<Buckets/>${tail}`);
    const read = (tail: string): PageResult => parsePage(base(tail), 200, undefined);
    expect(read('')).not.toHaveProperty('nextMarker');
    expect(read('<IsTruncated>false</IsTruncated><NextMarker>m</NextMarker>')).not.toHaveProperty('nextMarker');
    expect(read('<NextMarker>m</NextMarker>')).not.toHaveProperty('nextMarker');
    expect(read('<NextMarker>a&amp;b</NextMarker><IsTruncated>true</IsTruncated>').nextMarker).toBe('a&b');
    expect(read('<IsTruncated><![CDATA[true]]></IsTruncated><NextMarker> m </NextMarker>').nextMarker).toBe(' m ');
    expect(refusal(base('<IsTruncated>TRUE</IsTruncated>'))).toBe('IsTruncated is neither true nor false');
    expect(refusal(base('<IsTruncated> true</IsTruncated>'))).toBe('IsTruncated is neither true nor false');
    expect(refusal(base('<IsTruncated/>'))).toBe('IsTruncated is neither true nor false');
    expect(refusal(base('<IsTruncated>true</IsTruncated>'))).toBe('truncated without a NextMarker');
    expect(refusal(base('<IsTruncated>true</IsTruncated><NextMarker/>'))).toBe('truncated without a NextMarker');
  });

  const MISSING = 'a bucket without a name, location or creation date';
  it.each<[string, string, string]>([
    ['no Owner', list('<Buckets/>'), 'no bucket owner'],
    ['an empty Owner', list('<Owner/><Buckets/>'), 'no bucket owner'],
    ['an empty ID', list('<Owner><ID></ID></Owner>'), 'no bucket owner'],
    ['two Owners', list(`${OWNER}<Buckets/>${OWNER}`), 'two <Owner> elements'],
    ['two IDs', list('<Owner><ID>1</ID><ID>2</ID></Owner>'), 'two <ID> elements'],
    ['two Buckets lists', list(`${OWNER}<Buckets>${B1}</Buckets><Buckets/>`), 'two <Buckets> elements'],
    [
      'two IsTruncated',
      list(`${OWNER}<IsTruncated>false</IsTruncated><IsTruncated>true</IsTruncated>`),
      'two <IsTruncated> elements',
    ],
    ['a bucket with two names', withBucket('<Name>a</Name><Name>b</Name>'), 'a bucket with two <Name> elements'],
    ['markup inside a field', withBucket('<Name>a<i>b</i></Name>'), '<i> inside <Name>'],
    ['text among the buckets', list(`${OWNER}<Buckets>${B1}x</Buckets>`), 'text inside <Buckets>'],
    ['text inside a bucket', withBucket('<Name>n</Name>&amp;'), 'text inside <Bucket>'],
    ['text inside the list', list(`${OWNER}-<Buckets/>`), 'text inside <ListAllMyBucketsResult>'],
    [
      'another element among the buckets',
      list(`${OWNER}<Buckets>${B1}<Group>${B1}</Group></Buckets>`),
      '<Group> inside <Buckets>',
    ],
    ['a bucket outside Buckets', list(`${OWNER}<Buckets/>${B1}`), '<Bucket> inside <ListAllMyBucketsResult>'],
    ['a bucket inside Owner', list(`<Owner><ID>1</ID>${B1}</Owner>`), '<Bucket> inside <Owner>'],
    ['a bucket without Name', withBucket('<Region>r</Region>'), MISSING],
    ['an empty Name', withBucket('<Name></Name>'), MISSING],
    ['an empty Location', withBucket('<Name>n</Name><Location/>'), MISSING],
    [
      'no CreationDate',
      list(`${OWNER}<Buckets><Bucket><Name>n</Name><Location>l</Location></Bucket></Buckets>`),
      MISSING,
    ],
    ['an empty Bucket among good ones', list(`${OWNER}<Buckets>${B1}<Bucket/>${B1}</Buckets>`), MISSING],
    ['a bad bucket before the Owner', list(`<Buckets><Bucket/></Buckets>${OWNER}`), MISSING],
    ['an OSS Error document', `${DECL}<Error><Code>AccessDenied</Code></Error>`, 'unexpected <Error> document'],
    ['another root', '<listallmybucketsresult/>', 'unexpected <listallmybucketsresult> document'],
    ['a long root name', `<${'R'.repeat(300)}/>`, `unexpected <${'R'.repeat(64)}...> document`],
    ['an XHTML page', '<html><body><p>Bad Gateway</p></body></html>', 'unexpected <html> document'],
    ['an HTML page', '<html><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>', 'not XML'],
    ['an HTML5 page', '<!DOCTYPE html><html><body>oops</body></html>', 'not XML'],
    ['plain text', 'Bad Gateway', 'not XML'],
    ['JSON', '{"buckets":[]}', 'not XML'],
    ['nothing', '', 'not XML'],
    ['a DTD', `<!DOCTYPE r [<!ENTITY x "y">]>${list(OWNER).slice(DECL.length)}`, 'not XML'],
    ['&nbsp; in an ignored element', list(`${OWNER}<Prefix>&nbsp;</Prefix>`), 'not XML'],
    ['a bare &', withBucket('<Name>a & b</Name>'), 'not XML'],
    ['a control character in a name', withBucket('<Name>a\x1bb</Name>'), 'not XML'],
    ['mismatched end tags', withBucket('<Name>n</Nam>'), 'not XML'],
    ['a page cut short', list(`${OWNER}<Buckets>${B1}${B1}`), 'not XML'],
    ['a bad bucket and a cut', `${withBucket('<Name></Name>')}`.slice(0, -10), 'not XML'],
    ['a second root', `${list(OWNER)}<ListAllMyBucketsResult/>`, 'not XML'],
  ])('refuses %s', (_name, text, what) => {
    expect(refusal(text)).toBe(what);
  });

  it('refuses every cut of a page, never giving the buckets before the cut', () => {
    const text = list(
      `<IsTruncated>true</IsTruncated><NextMarker>m&amp;</NextMarker>${OWNER}<Buckets>${B1}` +
        '<Bucket><Name><![CDATA[c]]>&#65;<!--x--></Name><Location>oss-l</Location><CreationDate>d</CreationDate><?p?></Bucket>' +
        `${B1}</Buckets>`,
    );
    expect(parsePage(text, 200, undefined).buckets).toHaveLength(3);
    for (let cut = 0; cut < text.length; cut++) expect(refusal(text.slice(0, cut))).toBe('not XML');
  });
});

// ---- pages generated from a model: every field order, presence and spelling OSS's XML allows ----

const FIELDS = [
  'Name',
  'Location',
  'CreationDate',
  'Region',
  'StorageClass',
  'ExtranetEndpoint',
  'IntranetEndpoint',
  'ResourceGroupId',
] as const;
type Field = (typeof FIELDS)[number];

/** One element with text: its name, the text, how the text is written and what stands around it. */
interface Leaf {
  name: string;
  text: string;
  how: TextWriting;
  before: string;
  space: string;
  /** `<Name/>` when the text is empty. */
  selfClosing: boolean;
}
const leaf = (name: string, text: fc.Arbitrary<string>): fc.Arbitrary<Leaf> =>
  fc.record({
    name: fc.constant(name),
    text,
    how: textWriting,
    before: gap,
    space: tagSpace,
    selfClosing: fc.boolean(),
  });
const value = fc.oneof(plainText, anyText());
const required = fc.oneof(plainText, nonEmptyText());
/** Elements OSS may add one day, and those it sends only on truncated pages. */
const unknown = fc
  .constantFrom('Comment', 'DataRedundancyType', 'Prefix', 'Marker', 'MaxKeys')
  .chain((n) => leaf(n, value));

/** A bucket: Name, Location and CreationDate, any of the others, maybe unknown fields; any order. */
const bucket = fc
  .tuple(
    fc.tuple(leaf('Name', required), leaf('Location', required), leaf('CreationDate', required)),
    fc.subarray(FIELDS.slice(3)).chain((names) => fc.tuple(...names.map((n) => leaf(n, value)))),
    fc.array(unknown, { maxLength: 2 }),
  )
  .chain(([must, may, extra]) =>
    fc.shuffledSubarray([...must, ...may, ...extra], { minLength: must.length + may.length + extra.length }),
  );

interface Page {
  head: string;
  rootAttributes: string;
  owner: Leaf[];
  buckets: Leaf[][];
  /** Root-level leaves: IsTruncated, NextMarker, Prefix, ... (may be empty). */
  truncation: Leaf[];
  /** Where Owner and Buckets stand among the truncation leaves. */
  ownerAt: number;
  bucketsAt: number;
  gaps: string[];
  /** Buckets written as OSS writes them: no white space, comments or CDATA, only `&...;` escapes. */
  asOss: boolean;
}
const truncation = fc.oneof(
  fc.constant<Leaf[]>([]),
  fc.tuple(leaf('IsTruncated', fc.constant('false'))).map((l) => [...l]),
  fc
    .tuple(leaf('IsTruncated', fc.constant('true')), leaf('NextMarker', required), fc.array(unknown, { maxLength: 3 }))
    .map(([t, n, rest]) => [t, n, ...rest]),
);
const page: fc.Arbitrary<Page> = fc.record({
  head: prolog,
  rootAttributes: attributes,
  owner: fc
    .tuple(
      leaf('ID', required),
      fc.option(leaf('DisplayName', value), { nil: undefined }),
      fc.array(unknown, { maxLength: 1 }),
    )
    .chain(([id, name, extra]) =>
      fc.shuffledSubarray([id, ...(name ? [name] : []), ...extra], { minLength: 1 + (name ? 1 : 0) + extra.length }),
    ),
  buckets: fc.array(bucket, { maxLength: 12 }),
  truncation: truncation.chain((leaves) => fc.shuffledSubarray(leaves, { minLength: leaves.length })),
  ownerAt: fc.nat(6),
  bucketsAt: fc.nat(6),
  gaps: fc.array(gap, { minLength: 4, maxLength: 4 }),
  asOss: fc.boolean(),
});

const AS_OSS: TextWriting = { spellings: ['named'], joints: [], upperHex: false };

function writeLeaf(l: Leaf): string {
  if (l.text === '' && l.selfClosing) return `${l.before}<${l.name}${l.space}/>`;
  return `${l.before}<${l.name}${l.space}>${writeText(l.text, l.how)}</${l.name}${l.space}>`;
}

function writePage(p: Page): string {
  const [g0, g1, g2, g3] = p.gaps as [string, string, string, string];
  const owner = `<Owner>${p.owner.map(writeLeaf).join('')}${g1}</Owner>`;
  const bucket = p.asOss
    ? (b: Leaf[]): string =>
        `<Bucket>${b.map((l) => `<${l.name}>${writeText(l.text, AS_OSS)}</${l.name}>`).join('')}</Bucket>`
    : (b: Leaf[]): string => `${g2}<Bucket>${b.map(writeLeaf).join('')}${g2}</Bucket>`;
  const buckets = `<Buckets>${p.buckets.map(bucket).join('')}${g3}</Buckets>`;
  const children = p.truncation.map(writeLeaf);
  children.splice(p.ownerAt % (children.length + 1), 0, `${g1}${owner}`);
  children.splice(p.bucketsAt % (children.length + 1), 0, `${g3}${buckets}`);
  return `${p.head}${g0}<ListAllMyBucketsResult${p.rootAttributes}>${children.join('')}${g0}</ListAllMyBucketsResult>${g0}`;
}

/** What the page must read as, worked out from the model alone. */
function expected(p: Page): PageResult {
  const text = (leaves: Leaf[], name: string): string | undefined => leaves.find((l) => l.name === name)?.text;
  const buckets = p.buckets.map((leaves): Bucket => {
    const f = (name: Field): string | undefined => text(leaves, name);
    const location = f('Location')!;
    const resourceGroupId = f('ResourceGroupId');
    return {
      name: f('Name')!,
      region: f('Region') || location.replace(/^oss-/, ''),
      location,
      creationDate: f('CreationDate')!,
      storageClass: f('StorageClass') ?? '',
      extranetEndpoint: f('ExtranetEndpoint') ?? '',
      intranetEndpoint: f('IntranetEndpoint') ?? '',
      ...(resourceGroupId ? { resourceGroupId } : {}),
    };
  });
  const owner = { id: text(p.owner, 'ID')!, displayName: text(p.owner, 'DisplayName') ?? '' };
  const next = text(p.truncation, 'IsTruncated') === 'true' ? text(p.truncation, 'NextMarker') : undefined;
  return next === undefined ? { owner, buckets } : { owner, buckets, nextMarker: next };
}

describe('parsePage on generated pages', () => {
  it('reads every page exactly as the model it was written from', () => {
    fc.assert(
      fc.property(page, (p) => {
        const result = parsePage(writePage(p), 200, undefined);
        expect(result).toStrictEqual(expected(p));
        expect(JSON.stringify(result)).toBe(JSON.stringify(expected(p))); // key order too
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a page cut anywhere before its end', () => {
    fc.assert(
      fc.property(page, fc.nat(), (p, at) => {
        const text = writePage(p).trimEnd();
        const end = text.lastIndexOf('</ListAllMyBucketsResult>');
        expect(refusal(text.slice(0, at % (end + 1)))).toBe('not XML');
      }),
      { numRuns: 1500 },
    );
  });

  it('refuses the whole page when one bucket lacks a required field or repeats one', () => {
    const damage = fc.record({
      bucket: fc.nat(),
      how: fc.constantFrom('drop', 'empty', 'repeat'),
      field: fc.constantFrom(...FIELDS),
    });
    fc.assert(
      fc.property(
        page.filter((p) => p.buckets.length > 0),
        damage,
        (p, d) => {
          const index = d.bucket % p.buckets.length;
          const leaves = [...p.buckets[index]!];
          const at = leaves.findIndex((l) => l.name === d.field);
          if (d.how === 'repeat') {
            if (at < 0) return;
            leaves.push({ ...leaves[at]! });
          } else {
            if (at < 0 || FIELDS.indexOf(d.field) > 2) return; // only the three required fields
            if (d.how === 'drop') leaves.splice(at, 1);
            else leaves[at] = { ...leaves[at]!, text: '' };
          }
          const damaged = { ...p, buckets: p.buckets.map((b, i) => (i === index ? leaves : b)) };
          const what = refusal(writePage(damaged));
          expect(what).toBe(
            d.how === 'repeat'
              ? `a bucket with two <${d.field}> elements`
              : 'a bucket without a name, location or creation date',
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
