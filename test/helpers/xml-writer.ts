/**
 * Every way XML lets a writer put down the same text, as fast-check arbitraries, for property tests
 * of the XML reader (test/main/oss): the test states the text, the writer picks the spelling, and
 * the reader must give back exactly the text.
 */
import fc from 'fast-check';

/** Characters that need care when written, and a few that do not. */
const SPECIAL = [
  '&',
  '<',
  '>',
  '"',
  "'",
  ']',
  ']]>',
  ']]',
  ' ',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ';',
  '#',
  '&amp;',
  '&#65;',
  '<![CDATA[',
  '<!--',
  '--',
  '?>',
  '\u00a0',
  '\u00e9',
  '\u4e2d',
  '\u{1f600}',
  '\u2028',
  '\ufeff',
];
/** Any character XML 1.0 allows in a document (and so, written somehow, in text). */
const XML_CHARS = /^[\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'z', 'A', '0', '-', '.', '_', '/', ':') },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => XML_CHARS.test(c)),
  },
);

/** Text as a bucket field or any element may hold it. */
export const anyText = (maxPieces = 12): fc.Arbitrary<string> =>
  fc.array(piece, { maxLength: maxPieces }).map((pieces) => pieces.join(''));
export const nonEmptyText = (maxPieces = 12): fc.Arbitrary<string> =>
  fc.array(piece, { minLength: 1, maxLength: maxPieces }).map((pieces) => pieces.join(''));
/** What OSS itself writes in names and ids. */
export const plainText = fc.stringMatching(/^[a-z0-9][a-z0-9.:-]{0,23}$/);

/** One way to write a run of text. */
type Spelling = 'named' | 'minimal' | 'decimal' | 'hex' | 'cdata';
const spelling = fc.constantFrom<Spelling>('named', 'minimal', 'decimal', 'hex', 'cdata');

/** Markup that may stand between two runs of the same text without changing it. */
const joint = fc.constantFrom('', '', '<!-- a comment -->', '<!---->', '<?pi data?>', '<?pi?>', '<![CDATA[]]>');

/** How a text is written: cut into as many runs as there are spellings, joined by markup. */
export interface TextWriting {
  spellings: Spelling[];
  joints: string[];
  upperHex: boolean;
}
export const textWriting: fc.Arbitrary<TextWriting> = fc.record({
  spellings: fc.array(spelling, { minLength: 1, maxLength: 3 }),
  joints: fc.array(joint, { minLength: 2, maxLength: 2 }),
  upperHex: fc.boolean(),
});

/** `text` written as `how` says; read as XML it is `text` again. */
export function writeText(text: string, how: TextWriting): string {
  const chars = [...text];
  const runs = how.spellings.length;
  const size = Math.ceil(chars.length / runs);
  let out = '';
  for (let i = 0; i < runs; i++) {
    const run = chars.slice(i * size, (i + 1) * size).join('');
    if (i > 0) out += how.joints[(i - 1) % how.joints.length];
    out += spell(run, how.spellings[i] as Spelling, how.upperHex);
  }
  return out;
}

function spell(text: string, how: Spelling, upperHex: boolean): string {
  switch (how) {
    case 'named':
      return text.replace(/[<>&"'\r]/g, (c) => NAMED[c] as string);
    case 'minimal':
      // Only what must be escaped in text: '<', '&', CR (XML reads it as LF) and the '>' of ']]>',
      // which may also be the first or second character of this run when the last one ended in ']'.
      return text.replace(/[<&\r]|(?<=\]\]|^\]?)>/g, (c) => NAMED[c] as string);
    case 'decimal':
      return [...text].map((c) => `&#${c.codePointAt(0)};`).join('');
    case 'hex':
      return [...text]
        .map((c) => {
          const hex = (c.codePointAt(0) as number).toString(16);
          return `&#x${upperHex ? hex.toUpperCase() : hex};`;
        })
        .join('');
    case 'cdata':
      // A CDATA section cannot hold ']]>' (split it across two) or keep a CR (write it as a reference).
      return text
        ? `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>').replaceAll('\r', ']]>&#13;<![CDATA[')}]]>`
        : '';
  }
}

const NAMED: Readonly<Record<string, string>> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/** Whitespace, comments and processing instructions, as may stand between elements. */
export const gap = fc.constantFrom('', '', '', ' ', '\n  ', '\r\n\t', '\t', '<!-- c -->', '<?pi x?>', ' <!--\n--> ');

/** A start or end tag of `name`, with the white space XML allows before its `>` (and `/>`). */
export const tagSpace = fc.constantFrom('', '', '', ' ', '\n', '\t \r\n');

/** Attributes (all dropped by the reader): none, a namespace, or several quoted either way. */
export const attributes = fc.constantFrom(
  '',
  '',
  ' xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"',
  ' a=\'1\' b="x>y"',
  ' c = "&amp;&#x3c;" d=\'"\'',
);

/** An XML declaration, or none; with or without a byte order mark in front. */
export const prolog = fc.constantFrom(
  '',
  '<?xml version="1.0" encoding="UTF-8"?>\n',
  "<?xml version='1.0'?>",
  '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\r\n',
  '\ufeff<?xml version="1.0"?>',
  '\ufeff',
);
