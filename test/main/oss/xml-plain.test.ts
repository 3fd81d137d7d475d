import { describe, expect, it } from 'vitest';
import { PlainElements, widen } from '../../../main/services/oss/xml-plain.js';
import { recordEvents, xmlEvents } from '../../helpers/xml-events.js';

/** The events PlainElements reports for the element at the start of `text`, or null when it is not plain. */
function plainEvents(plain: PlainElements, text: string): string[] | null {
  const end = plain.match(text, 0);
  if (end < 0) return null;
  expect(end).toBe(text.length);
  const out: string[] = [];
  plain.report(text, recordEvents(out));
  return out;
}

describe('PlainElements', () => {
  it('reads plain elements, learning and widening layouts, with the events readXml gives', () => {
    const plain = new PlainElements();
    for (const text of [
      '<B>text with > and ]] and "quotes"</B>',
      '<B></B>',
      '<B><n>1</n><m>2</m></B>',
      '<B><n>3</n><m></m></B>',
      '<B><m>4</m></B>',
      '<B><n>5</n><o.p>6</o.p><m>7</m></B>',
      '<B><n>8</n><o.p>9</o.p><m>10</m></B>',
      '<B><m>11</m><n>12</n></B>',
      '<B><n>13</n><o.p>14</o.p><m>15</m></B>',
      '<B><n>16</n><n>17</n></B>',
      '<C><n>18</n></C>',
      '<B><n>19</n><m>20</m></B>',
      '<B><B>21</B></B>',
    ]) {
      expect(plainEvents(plain, text), text).toEqual(xmlEvents(text));
    }
  });

  it.each([
    ['an attribute', '<B a="1"><n>1</n></B>'],
    ['space in a start tag', '<B ><n>1</n></B>'],
    ['space in an end tag', '<B><n>1</n ></B>'],
    ['an entity', '<B><n>&amp;</n></B>'],
    ['a CR', '<B><n>a\r\nb</n></B>'],
    ['CDATA', '<B><n><![CDATA[x]]></n></B>'],
    ['a comment', '<B><!-- x --><n>1</n></B>'],
    ['text beside children', '<B>x<n>1</n></B>'],
    ['white space between children', '<B><n>1</n> <m>2</m></B>'],
    ['grandchildren', '<B><n><m>1</m></n></B>'],
    ['an empty-element tag', '<B><n/></B>'],
    ['mismatched end tags', '<B><n>1</m></B>'],
  ])('leaves an element with %s to the tag-by-tag reading', (_name, text) => {
    const plain = new PlainElements();
    plainEvents(plain, '<B><n>0</n><m>0</m></B>'); // a layout it could wrongly stretch
    expect(plainEvents(plain, text)).toBeNull();
  });
});

describe('widen', () => {
  it('puts the names it lacks in, keeping the order of both', () => {
    expect(widen(['B', 'n', 'm'], ['B', 'n', 'o', 'm', 'q'])).toEqual(['B', 'n', 'o', 'm', 'q']);
    expect(widen(['B', 'n', 'm'], ['B', 'o', 'm'])).toEqual(['B', 'o', 'n', 'm']);
    expect(widen(['B', 'n', 'm'], ['B', 'q'])).toEqual(['B', 'q', 'n', 'm']);
  });

  it('gives the same layout when nothing is new, and none when the orders disagree', () => {
    const known = ['B', 'n', 'm'];
    expect(widen(known, ['B', 'm'])).toBe(known);
    expect(widen(known, ['B', 'm', 'n'])).toBeUndefined();
    expect(widen(known, ['B', 'n', 'n'])).toBeUndefined();
  });
});
