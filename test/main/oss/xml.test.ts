import { describe, expect, it } from 'vitest';
import { child, childrenNamed, childText, escapeXml, parseXml, XmlError } from '../../../main/services/oss/xml.js';

describe('parseXml', () => {
  it('reads elements, text, entities, CDATA, comments and attributes', () => {
    const root = parseXml(
      '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- hi -->\n<R a="1>2" b=\'x\'>\n' +
        '  <A>x &amp; y &lt;&#65;&#x42;&gt; &quot;&apos;</A>\n  <B><![CDATA[<raw> & ]]>tail</B>\n  <B/>\n</R>\n',
    );
    expect(root.name).toBe('R');
    expect(childText(root, 'A')).toBe('x & y <AB> "\'');
    expect(childrenNamed(root, 'B').map((b) => b.text)).toEqual(['<raw> & tail', '']);
    expect(child(root, 'C')).toBeUndefined();
  });

  it.each([
    ['a DTD', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['unknown entity', '<a>&nbsp;</a>'],
    ['a bare ampersand', '<a>a & b</a>'],
    ['trailing content', '<a/><b/>'],
    ['HTML', '<html><body><p>502 Bad Gateway<br></body></html>'],
    ['plain text', 'Bad Gateway'],
    ['nothing', ''],
    ['deep nesting', '<a>'.repeat(40) + '</a>'.repeat(40)],
  ])('refuses %s', (_name, text) => {
    expect(() => parseXml(text)).toThrow(XmlError);
  });

  it('escapes what it reads back', () => {
    const value = `<&>"' ok`;
    expect(parseXml(`<a>${escapeXml(value)}</a>`).text).toBe(value);
  });
});
