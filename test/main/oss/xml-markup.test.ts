import { describe, expect, it } from 'vitest';
import {
  attributes,
  checked,
  comment,
  declaration,
  decodeReferences,
  endTag,
  misc,
  nameEnd,
  processingInstruction,
  XmlError,
} from '../../../main/services/oss/xml-markup.js';

/** The offset an XmlError names. */
function failsAt(read: () => unknown): number {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(XmlError);
    return Number(/at offset (\d+)$/.exec((error as Error).message)?.[1]);
  }
  throw new Error('did not fail');
}

describe('decodeReferences', () => {
  it('decodes the five entities and decimal and hexadecimal references', () => {
    expect(decodeReferences('&lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#x0063;&#0068; &#x1F600;&amp;amp;', 0)).toBe(
      `<>&"' ABcD \u{1f600}&amp;`,
    );
  });

  it.each([
    ['a bare &', 'a & b', 2],
    ['no semicolon', 'a&amp b', 1],
    ['an unknown entity', 'x&nbsp;', 1],
    ['an upper-case X', '&#X41;', 0],
    ['an empty reference', '&#;', 0],
    ['NUL', 'ab&#0;', 2],
    ['a surrogate', '&#xDFFF;', 0],
    ['U+FFFE', '&#65534;', 0],
    ['past U+10FFFF', '&#x110000;', 0],
  ])('refuses %s, naming where', (_name, text, at) => {
    expect(failsAt(() => decodeReferences(text, 100))).toBe(100 + at);
  });
});

describe('markup pieces', () => {
  it('find where each ends', () => {
    expect(declaration('<?xml version="1.0" encoding="UTF-8"?><a/>', 0)).toBe(38);
    expect(declaration('<?xml-stylesheet href="s"?><a/>', 0)).toBe(0);
    expect(misc(' \r\n<!-- c --><?pi x?>\t<a/>', 0)).toBe(22);
    expect(comment('x<!-- a - b -->y', 1)).toBe(15);
    expect(processingInstruction('<?pi?>', 0, false)).toBe(6);
    expect(attributes('<a b="1" c = \'>\' >', 2)).toBe(18);
    expect(attributes('<a b="1"/>', 2)).toBe(10);
    expect(nameEnd('<o.p:x-1_y>', 1)).toBe(10);
    expect(endTag('<Name>n</Name \n>', 7, 1, 4)).toBe(16);
    expect(checked('ok\t\n', 0)).toBe('ok\t\n');
  });

  it.each<[string, () => unknown]>([
    ['a declaration without a version', () => declaration('<?xml encoding="UTF-8"?>', 0)],
    ['a declaration after the start', () => processingInstruction('<?xml version="1.0"?>', 0, false)],
    ['a DOCTYPE', () => comment('<!DOCTYPE a>', 0)],
    ['-- in a comment', () => comment('<!-- a -- b -->', 0)],
    ['an unclosed comment', () => comment('<!-- a ->', 0)],
    ['a PI without a target', () => processingInstruction('<? x?>', 0, false)],
    ['a PI target run into its data', () => processingInstruction('<?pi"x"?>', 0, false)],
    ['a repeated attribute', () => attributes('<a b="1" b="2">', 2)],
    ['attributes run together', () => attributes('<a b="1"c="2">', 2)],
    ['< in an attribute', () => attributes('<a b="<">', 2)],
    ['an unquoted attribute', () => attributes('<a b=1>', 2)],
    ['a name starting with a digit', () => nameEnd('<1a>', 1)],
    ['a mismatched end tag', () => endTag('<Name>n</Nbme>', 7, 1, 4)],
    ['a longer end tag', () => endTag('<Name>n</Names>', 7, 1, 4)],
    ['a control character', () => checked('a\x7f\x1fb', 0)],
  ])('refuse %s', (_name, read) => {
    expect(failsAt(read)).toBeGreaterThanOrEqual(0);
  });
});
