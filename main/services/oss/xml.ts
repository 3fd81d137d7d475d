/**
 * The one XML reader for OSS answers: one strict pass over the text that reports start tags,
 * character data and end tags to a visitor. list-page.ts reads a ListBuckets page through it
 * straight into buckets; parseXml below builds a tree of small documents (error bodies).
 *
 * Well-formed XML 1.0 is read as XML says: entities and character references decoded, CDATA kept
 * as written, CR LF and lone CR read as LF, comments and processing instructions skipped,
 * attributes checked and dropped. Anything else throws XmlError: a bare or unknown `&...;`, a
 * reference to a character XML does not allow, `]]>` in text, mismatched or unclosed tags, a
 * second root, text outside the root, `--` in a comment, a declaration that is not first, an
 * attribute unquoted, repeated or holding `<`, a control character. There is no DTD, so no
 * entity expansion: a DOCTYPE is refused. Names are ASCII (`[A-Za-z_:][A-Za-z0-9_.:-]*`, as every
 * OSS element name is): other names are refused, for speed on 390 KB pages.
 *
 * An element written plainly, as OSS writes each bucket, is read by xml-plain.ts in one regular
 * expression match, giving the visitor the same events; everything else is read here tag by tag,
 * with xml-markup.ts for the markup besides start tags and text.
 *
 * Why not a library: CPU time to read one 1,000-bucket page of bench/oss-list.mjs into buckets was
 * 0.5 ms with this reader (1.2 ms tag by tag alone), 2.5 ms with saxes (events only, nothing
 * built), 2.3 ms with txml (which checks no well-formedness and decodes no entities), 24 ms with
 * fast-xml-parser (5 ms more to validate) and 15 ms with @rgrove/parse-xml; the listing's goal
 * (1.3x the unparsed fetch) leaves about 2 ms.
 */

import {
  attributes,
  checked,
  comment,
  declaration,
  decodeReferences,
  endTag,
  fail,
  indexOr,
  misc,
  nameEnd,
  processingInstruction,
} from './xml-markup.js';
import { PlainElements } from './xml-plain.js';

export { XmlError } from './xml-markup.js';

/** What readXml reports, in document order. */
export interface XmlVisitor {
  /** A start tag (or an empty-element tag, then close() follows at once). Attributes are checked, not reported. */
  open(name: string): void;
  /** Character data of the innermost open element: entities decoded, CDATA as written; never empty. */
  text(value: string): void;
  /** The end of the innermost open element. */
  close(): void;
}

/** Deepest element accepted (the root is depth 0). OSS answers are 3 deep. */
const MAX_DEPTH = 32;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
/** XML reads CR LF and a lone CR as LF (a &#13; reference stays a CR). */
const LINE_END = /\r\n?/g;

/**
 * Reads a whole document, calling the visitor as it goes; throws XmlError at the first place the
 * text is not well-formed (the visitor may have been called before that: use what it gathered
 * only when readXml returned).
 */
export function readXml(src: string, visitor: XmlVisitor): void {
  let pos = misc(src, declaration(src, src.charCodeAt(0) === 0xfeff ? 1 : 0));
  if (src.charCodeAt(pos) !== LT) fail('no root element', pos);

  // Where each open element's name starts and how long it is, to match its end tag in place.
  const starts: number[] = [];
  const lengths: number[] = [];
  // The next '&', '\r' and ']]>' at or after some earlier position (src.length when none): one
  // indexOf each over the whole text, and a text run without them is passed on as sliced.
  let amp = -1;
  let cr = -1;
  let cdataEnd = -1;
  const plain = new PlainElements();
  document: for (;;) {
    // At the '<' of a start tag. A plain element is read in one match, unless its children would
    // be too deep or one of its texts holds ']]>' (then tag by tag, which refuses it).
    let plainEnd = starts.length < MAX_DEPTH ? plain.match(src, pos) : -1;
    if (plainEnd >= 0) {
      if (cdataEnd < pos) cdataEnd = indexOr(src, ']]>', pos);
      if (cdataEnd < plainEnd) plainEnd = -1; // read tag by tag, to fail there
    }
    if (plainEnd >= 0) {
      plain.report(src, visitor);
      pos = plainEnd;
      if (starts.length === 0) break;
    } else {
      const nameStart = pos + 1;
      const nameStop = nameEnd(src, nameStart);
      if (starts.length > MAX_DEPTH) fail('elements nested too deeply', pos);
      visitor.open(src.slice(nameStart, nameStop));
      pos = src.charCodeAt(nameStop) === GT ? nameStop + 1 : attributes(src, nameStop);
      if (src.charCodeAt(pos - 2) === SLASH) {
        visitor.close(); // an empty-element tag
        if (starts.length === 0) break;
      } else {
        starts.push(nameStart);
        lengths.push(nameStop - nameStart);
      }
    }

    // Content, up to the next start tag or the end of the root.
    for (;;) {
      const lt = src.indexOf('<', pos);
      if (lt < 0) fail('an element is not closed', src.length);
      if (lt > pos) {
        if (amp < pos) amp = indexOr(src, '&', pos);
        if (cr < pos) cr = indexOr(src, '\r', pos);
        if (cdataEnd < pos) cdataEnd = indexOr(src, ']]>', pos);
        if (cdataEnd < lt) fail(']]> in text', cdataEnd);
        const raw = checked(src.slice(pos, lt), pos);
        const text = cr < lt ? raw.replace(LINE_END, '\n') : raw;
        visitor.text(amp < lt ? decodeReferences(text, pos) : text);
      }
      const next = src.charCodeAt(lt + 1);
      if (next === SLASH) {
        pos = endTag(src, lt, starts.pop() as number, lengths.pop() as number);
        visitor.close();
        if (starts.length === 0) break document;
      } else if (next === BANG && src.startsWith('<![CDATA[', lt)) {
        const end = src.indexOf(']]>', lt + 9);
        if (end < 0) fail('CDATA is not closed', lt);
        if (end > lt + 9) visitor.text(checked(src.slice(lt + 9, end), lt).replace(LINE_END, '\n'));
        pos = end + 3;
      } else if (next === BANG) {
        pos = comment(src, lt);
      } else if (next === QUESTION) {
        pos = processingInstruction(src, lt, false);
      } else {
        pos = lt;
        continue document;
      }
    }
  }
  if (misc(src, pos) !== src.length) fail('content after the root element', pos);
}

// ---- a tree, for small documents (OSS error bodies) ----

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** The element's own text (CDATA included), entities decoded. */
  text: string;
}

/** Reads a whole document into a tree and returns its root; throws XmlError when it is not well-formed. */
export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  readXml(source, {
    open(name) {
      const element: XmlElement = { name, children: [], text: '' };
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else root = element;
      stack.push(element);
    },
    text(value) {
      (stack.at(-1) as XmlElement).text += value;
    },
    close() {
      stack.pop();
    },
  });
  return root as XmlElement;
}

/** The first child with that name. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** Every child with that name, in order. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The text of the first child with that name, or undefined when there is none. */
export function childText(element: XmlElement, name: string): string | undefined {
  return child(element, name)?.text;
}

/** Escapes text for an element body or a quoted attribute. */
export function escapeXml(value: string): string {
  return value.replace(
    /[<>&"']/g,
    (c) => `&${c === '<' ? 'lt' : c === '>' ? 'gt' : c === '&' ? 'amp' : c === '"' ? 'quot' : 'apos'};`,
  );
}
