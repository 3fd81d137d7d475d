import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  child,
  childrenNamed,
  childText,
  escapeXml,
  parseXml,
  XmlError,
  type XmlElement,
} from '../../../main/services/oss/xml.js';
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
import { xmlEvents } from '../../helpers/xml-events.js';

describe('readXml', () => {
  it('reports start tags, text and end tags in document order', () => {
    expect(xmlEvents('<a>x<b/>y<c k="v">z</c></a>')).toEqual([
      '<a>',
      '"x"',
      '<b>',
      '</>',
      '"y"',
      '<c>',
      '"z"',
      '</>',
      '</>',
    ]);
  });

  it('reads entities, references, CDATA, comments, processing instructions and attributes', () => {
    const root = parseXml(
      '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- hi -->\n<?app data?>\n<R a="1>2" b=\'x\'>\n' +
        '  <A>x &amp; y &lt;&#65;&#x42;&#x43;&gt; &quot;&apos;&#x1F600;</A>\n  <B><![CDATA[<raw> & ]]>tail</B>\n' +
        '  <B/>\n  <C >a<!-- -->b<?pi?>c</C\n>\n</R>\n<!-- end -->\n',
    );
    expect(root.name).toBe('R');
    expect(childText(root, 'A')).toBe('x & y <ABC> "\'\u{1f600}');
    expect(childrenNamed(root, 'B').map((b) => b.text)).toEqual(['<raw> & tail', '']);
    expect(childText(root, 'C')).toBe('abc');
    expect(child(root, 'D')).toBeUndefined();
    expect(root.text).toBe('\n  \n  \n  \n  \n');
  });

  it('reads CR LF and a lone CR as LF, but keeps a CR written as a reference', () => {
    expect(parseXml('<a>1\r\n2\r3&#13;4<![CDATA[5\r\n6]]></a>').text).toBe('1\n2\n3\r45\n6');
  });

  it.each([
    ['nothing', ''],
    ['plain text', 'Bad Gateway'],
    ['JSON', '{"buckets":[]}'],
    ['only a declaration', '<?xml version="1.0"?>'],
    ['a DTD', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'],
    ['an HTML5 page', '<!DOCTYPE html><html><body>oops</body></html>'],
    ['HTML', '<html><body><p>502 Bad Gateway<br></body></html>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['a shorter end tag', '<Name>n</Nam>'],
    ['a longer end tag', '<Name>n</Names>'],
    ['an end tag that differs in its first letter', '<Name>n</Mame>'],
    ['space before the end tag name', '<a>n</ a>'],
    ['an unclosed element', '<a><b></b>'],
    ['a second root', '<a/><b/>'],
    ['text after the root', '<a/>x'],
    ['text before the root', 'x<a/>'],
    ['a bare &', '<a>a & b</a>'],
    ['a bare & among elements', '<a><b/> & <c/></a>'],
    ['an entity without ;', '<a>&amp b</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['an upper-case X reference', '<a>&#X41;</a>'],
    ['a reference to NUL', '<a>&#0;</a>'],
    ['a reference to a control character', '<a>&#x1B;</a>'],
    ['a reference to a lone surrogate', '<a>&#xD800;</a>'],
    ['a reference to U+FFFE', '<a>&#xFFFE;</a>'],
    ['a reference past U+10FFFF', '<a>&#x110000;</a>'],
    ['an empty reference', '<a>&#;</a>'],
    [']]> in text', '<a>x]]>y</a>'],
    ['an unclosed CDATA section', '<a><![CDATA[x</a>'],
    ['an unclosed comment', '<a>x<!-- </a>'],
    ['-- inside a comment', '<a><!-- x -- y --></a>'],
    ['a comment ending in --->', '<a><!-- x ---></a>'],
    ['<!--> as a comment', '<a><!-->x</a>'],
    ['a bad markup declaration', '<a><!ELEMENT a ANY></a>'],
    ['a declaration not at the start', ' <?xml version="1.0"?><a/>'],
    ['a declaration inside', '<a><?xml version="1.0"?></a>'],
    ['a declaration without a version', '<?xml encoding="UTF-8"?><a/>'],
    ['a processing instruction without a target', '<a><? x?></a>'],
    ['an unclosed processing instruction', '<a><?pi </a>'],
    ['an unquoted attribute', '<a b=1/>'],
    ['an attribute without a value', '<a b/>'],
    ['an unclosed attribute value', '<a b="1/>'],
    ['an attribute given twice', '<a b="1" b="2"/>'],
    ['attributes without space between', '<a b="1"c="2"/>'],
    ['< in an attribute', '<a b="<"/>'],
    ['an unknown entity in an attribute', '<a b="&nbsp;"/>'],
    ['a NUL', '<a>x\0y</a>'],
    ['an escape character', '<a>\x1b[31m</a>'],
    ['a form feed among elements', '<a><b/>\f</a>'],
    ['U+FFFF', '<a>\uffff</a>'],
    ['a control character in an attribute', '<a b="\x01"/>'],
    ['a control character in a comment', '<a><!-- \x01 --></a>'],
    ['a control character in a processing instruction', '<a><?pi \x01?></a>'],
    ['a control character in CDATA', '<a><![CDATA[\x01]]></a>'],
    ['a control character after the root', '<a/>\x7f\x08'],
    ['a name starting with a digit', '<1a/>'],
    ['a non-ASCII name', '<na\u00efve/>'],
    ['space before the name', '< a/>'],
    ['a / before space in an empty tag', '<a/ >'],
    ['33 levels below the root', `${'<a>'.repeat(34)}${'</a>'.repeat(34)}`],
  ])('refuses %s', (_name, text) => {
    expect(() => parseXml(text)).toThrow(XmlError);
  });

  it('accepts 32 levels below the root', () => {
    expect(parseXml(`${'<a>'.repeat(33)}x${'</a>'.repeat(33)}`).name).toBe('a');
  });

  it('refuses every strict prefix of a document, wherever it is cut', () => {
    const text = '<?xml version="1.0"?><R x="1"><A>a&amp;b</A><B><![CDATA[c]]><!--d--><?e f?></B><C/><D >g</D ></R>';
    parseXml(text);
    for (let cut = 0; cut < text.length; cut++)
      expect(() => parseXml(text.slice(0, cut)), `cut at ${cut}`).toThrow(XmlError);
  });

  it('reads in time linear in the text, whatever it holds', () => {
    const big = 'x'.repeat(200_000);
    for (const text of [
      `<a>${`<b>${big}&amp;</b>`.repeat(10)}</a>`,
      `<a>${'&amp;'.repeat(200_000)}</a>`,
      `<a ${Array.from({ length: 20_000 }, (_, i) => `n${i}="v"`).join(' ')}/>`,
      `<a>${'<!---->'.repeat(100_000)}${'<b/>'.repeat(100_000)}</a>`,
      `<a>${big}]]${big}</a>`,
    ]) {
      const started = performance.now();
      parseXml(text);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it('refuses ]]> and control characters in the text of plainly written elements too, before and after their siblings taught it a layout', () => {
    const item = (text: string): string => `<B><n>${text}</n><m>x</m></B>`;
    expect(() => parseXml(`<a>${item('x]]>y')}</a>`)).toThrow(XmlError);
    expect(() => parseXml(`<a>${item('x')}${item('y')}${item('x]]>y')}</a>`)).toThrow(XmlError);
    expect(() => parseXml(`<a><n>x]]>y</n></a>`)).toThrow(XmlError);
    expect(() => parseXml(`<a>${item('x')}${item('y')}${item('x\x1by')}</a>`)).toThrow(XmlError);
    expect(parseXml(`<a>${item('x]]y')}${item('x>y')}</a>`).children.map((c) => childText(c, 'n'))).toEqual([
      'x]]y',
      'x>y',
    ]);
  });

  it('escapes what it reads back', () => {
    const value = `<&>"' ]]> ok`;
    expect(parseXml(`<a b="${escapeXml(value)}">${escapeXml(value)}</a>`).text).toBe(value);
  });
});

// ---- any document, in any spelling XML allows ----

interface Node {
  name: string;
  attributes: string;
  space: string;
  /** Texts and child elements, in order. */
  content: Array<{ text: string; how: TextWriting } | Node>;
  /** Written as `<name/>` when it has no content. */
  selfClosing: boolean;
}

const elementName = fc.stringMatching(/^[A-Za-z_:][A-Za-z0-9_.:-]{0,10}$/);
const { node } = fc.letrec<{ node: Node; item: Node['content'][number] }>((tie) => ({
  node: fc.record({
    name: elementName,
    attributes,
    space: tagSpace,
    content: fc.array(tie('item'), { maxLength: 4 }),
    selfClosing: fc.boolean(),
  }),
  item: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    fc.record({ text: nonEmptyText(), how: textWriting }),
    tie('node'),
  ),
}));

function write(n: Node, gaps: string[]): string {
  if (n.content.length === 0 && n.selfClosing) return `<${n.name}${n.attributes}${n.space}/>`;
  let inner = '';
  n.content.forEach((item, i) => {
    // Comments and processing instructions may stand anywhere in content without changing it.
    inner += gaps[i % gaps.length]!.trim().startsWith('<') ? gaps[i % gaps.length]!.trim() : '';
    inner += 'how' in item ? writeText(item.text, item.how) : write(item, gaps);
  });
  return `<${n.name}${n.attributes}${n.space}>${inner}</${n.name}${n.space}>`;
}

/** The tree the reader must give for `n`: own text joined, children in order. */
function expectedTree(n: Node): XmlElement {
  const children: XmlElement[] = [];
  let text = '';
  for (const item of n.content) {
    if ('how' in item) text += item.text;
    else children.push(expectedTree(item));
  }
  return { name: n.name, children, text };
}

describe('readXml on generated documents', () => {
  it('gives back the tree it was written from, in every spelling', () => {
    fc.assert(
      fc.property(node, prolog, fc.array(gap, { minLength: 3, maxLength: 3 }), (root, head, gaps) => {
        const text = `${head}${gaps[0]}${write(root, gaps)}${gaps[1]}`;
        expect(parseXml(text)).toStrictEqual(expectedTree(root));
      }),
      { numRuns: 1500 },
    );
  });

  it('reads long runs of siblings, plain or not, whatever children each has', () => {
    // As a bucket list: many siblings of a few names, with children of a few names in any order,
    // some missing or repeated, most written plainly (the reader learns their layout), some not.
    const child = fc.record({
      name: fc.constantFrom('n', 'm', 'o.p', 'q', 'B'),
      text: fc.oneof(plainText, fc.constant(''), anyText(4)),
      space: fc.constantFrom('', '', '', ' '),
    });
    const sibling = fc.record({
      name: fc.constantFrom('B', 'B', 'B', 'C'),
      children: fc.array(child, { maxLength: 5 }),
      text: fc.option(plainText, { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(sibling, { maxLength: 30 }), (siblings) => {
        const named = (text: string): string => writeText(text, { spellings: ['named'], joints: [], upperHex: false });
        const xml = siblings
          .map((s) =>
            s.text !== undefined && s.children.length === 0
              ? `<${s.name}>${named(s.text)}</${s.name}>`
              : `<${s.name}>${s.children.map((c) => `<${c.name}${c.space}>${named(c.text)}</${c.name}>`).join('')}</${s.name}>`,
          )
          .join('');
        const expectedRoot: XmlElement = {
          name: 'root',
          text: '',
          children: siblings.map((s) => ({
            name: s.name,
            text: s.text !== undefined && s.children.length === 0 ? s.text : '',
            children: s.children.map((c) => ({ name: c.name, text: c.text, children: [] })),
          })),
        };
        expect(parseXml(`<root>${xml}</root>`)).toStrictEqual(expectedRoot);
      }),
      { numRuns: 1500 },
    );
  });

  it('reads text runs and CDATA as the text they spell', () => {
    fc.assert(
      fc.property(anyText(30), textWriting, (value, how) => {
        expect(parseXml(`<a>${writeText(value, how)}</a>`).text).toBe(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses the document cut anywhere before the end of its root', () => {
    fc.assert(
      fc.property(node, prolog, gap, fc.nat(), (root, head, space, at) => {
        const text = `${head}${space}${write(root, [space])}`;
        const cut = text.slice(0, at % text.length);
        expect(() => parseXml(cut), JSON.stringify(cut)).toThrow(XmlError);
      }),
      { numRuns: 3000 },
    );
  });
});
