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
 * attribute unquoted, repeated or holding `<`. There is no DTD, so no entity expansion: a DOCTYPE
 * is refused. Two limits, both for speed on 390 KB pages: names are ASCII
 * (`[A-Za-z_:][A-Za-z0-9_.:-]*`, as every OSS element name is), and raw characters are not checked
 * one by one (a control character in text passes through: a scan for them alone took half of a
 * page's reading time).
 *
 * An element written plainly, as OSS writes each bucket, is read by xml-plain.ts in one regular
 * expression match, giving the visitor the same events; everything else is read here tag by tag.
 *
 * Why not a library: CPU time to read one 1,000-bucket page of bench/oss-list.mjs into buckets was
 * 0.5 ms with this reader (1.2 ms tag by tag alone), 2.5 ms with saxes (events only, nothing
 * built), 2.3 ms with txml (which checks no well-formedness and decodes no entities), 24 ms with
 * fast-xml-parser (5 ms more to validate) and 15 ms with @rgrove/parse-xml; the listing's goal
 * (1.3x the unparsed fetch) leaves about 2 ms.
 */

import { PlainElements } from './xml-plain.js';

export class XmlError extends Error {
  override readonly name = 'XmlError';
}

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
const EQ = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

const DECLARATION = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1/;
const REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*)?(;)?/g;
/** XML reads CR LF and a lone CR as LF (a &#13; reference stays a CR). */
const LINE_END = /\r\n?/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const fail = (what: string, at: number): never => {
  throw new XmlError(`${what} at offset ${at}`);
};

/**
 * Reads a whole document, calling the visitor as it goes; throws XmlError at the first place the
 * text is not well-formed (the visitor may have been called before that: use what it gathered
 * only when readXml returned).
 */
export function readXml(src: string, visitor: XmlVisitor): void {
  let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (src.startsWith('<?xml', pos) && isSpace(src.charCodeAt(pos + 5))) {
    if (!DECLARATION.test(src.slice(pos, pos + 64))) fail('a bad XML declaration', pos);
    pos = processingInstruction(src, pos, true);
  }
  pos = misc(src, pos);
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
    // At the '<' of a start tag.
    // (A plain element's children are one level deeper, and its texts may not hold ']]>' either.)
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
        const raw = cr < lt ? src.slice(pos, lt).replace(LINE_END, '\n') : src.slice(pos, lt);
        visitor.text(amp < lt ? decodeReferences(raw, pos) : raw);
      }
      const next = src.charCodeAt(lt + 1);
      if (next === SLASH) {
        pos = endTag(src, lt, starts.pop() as number, lengths.pop() as number);
        visitor.close();
        if (starts.length === 0) break document;
      } else if (next === BANG && src.startsWith('<![CDATA[', lt)) {
        const end = src.indexOf(']]>', lt + 9);
        if (end < 0) fail('CDATA is not closed', lt);
        if (end > lt + 9) visitor.text(src.slice(lt + 9, end).replace(LINE_END, '\n'));
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

/** Checks the end tag at `lt` against its start tag's name (at `start`); returns the position after it. */
function endTag(src: string, lt: number, start: number, length: number): number {
  let at = lt + 2;
  for (let i = 0; i < length; i++, at++) {
    if (src.charCodeAt(at) !== src.charCodeAt(start + i))
      fail(`the end tag does not match <${src.slice(start, start + length)}>`, lt);
  }
  if (src.charCodeAt(at) !== GT) at = skipSpace(src, at);
  if (src.charCodeAt(at) !== GT) fail(`the end tag does not match <${src.slice(start, start + length)}>`, lt);
  return at + 1;
}

/** Whitespace, comments and processing instructions (around the root). */
function misc(src: string, pos: number): number {
  for (;;) {
    pos = skipSpace(src, pos);
    if (src.startsWith('<!--', pos)) pos = comment(src, pos);
    else if (src.startsWith('<?', pos)) pos = processingInstruction(src, pos, false);
    else return pos;
  }
}

/** `<!--...-->` at `lt`, with no `--` inside; returns the position after it. */
function comment(src: string, lt: number): number {
  if (!src.startsWith('<!--', lt)) fail('markup that is not an element, comment or CDATA', lt);
  const end = src.indexOf('-->', lt + 4);
  if (end < 0) fail('a comment is not closed', lt);
  if (src.indexOf('--', lt + 4) < end) fail('-- inside a comment', lt);
  return end + 3;
}

/** `<?target ...?>` at `lt`; the target `xml` is the declaration, allowed only first. */
function processingInstruction(src: string, lt: number, declaration: boolean): number {
  const targetEnd = nameEnd(src, lt + 2);
  if (!declaration && targetEnd - lt - 2 === 3 && src.slice(lt + 2, targetEnd).toLowerCase() === 'xml') {
    fail('an XML declaration that is not at the start', lt);
  }
  if (!src.startsWith('?>', targetEnd) && !isSpace(src.charCodeAt(targetEnd))) fail('a bad processing instruction', lt);
  const end = src.indexOf('?>', targetEnd);
  if (end < 0) fail('a processing instruction is not closed', lt);
  return end + 2;
}

/** Checks the attributes of a start tag from just after its name; returns the position after `>` or `/>`. */
function attributes(src: string, pos: number): number {
  let seen: Set<string> | undefined;
  for (;;) {
    const before = pos;
    pos = skipSpace(src, pos);
    const c = src.charCodeAt(pos);
    if (c === GT) return pos + 1;
    if (c === SLASH && src.charCodeAt(pos + 1) === GT) return pos + 2;
    if (pos === before) fail('a bad start tag', pos);
    const end = nameEnd(src, pos);
    const name = src.slice(pos, end);
    if (seen?.has(name)) fail(`attribute ${name} given twice`, pos);
    (seen ??= new Set()).add(name);
    pos = skipSpace(src, end);
    if (src.charCodeAt(pos) !== EQ) fail('an attribute without a value', pos);
    pos = skipSpace(src, pos + 1);
    const quote = src.charCodeAt(pos);
    if (quote !== DQUOTE && quote !== SQUOTE) fail('an unquoted attribute value', pos);
    const close = src.indexOf(quote === DQUOTE ? '"' : "'", pos + 1);
    if (close < 0) fail('an attribute value is not closed', pos);
    const value = src.slice(pos + 1, close);
    if (value.includes('<')) fail('< in an attribute value', pos);
    if (value.includes('&')) decodeReferences(value, pos + 1);
    pos = close + 1;
  }
}

/** Decodes the five named entities and character references of a text run; `at` is where it starts. */
function decodeReferences(raw: string, at: number): string {
  return raw.replace(REFERENCE, (_whole, ref: string | undefined, semicolon: string | undefined, offset: number) => {
    if (ref === undefined || semicolon === undefined) return fail('a bare & (write &amp;)', at + offset);
    if (ref.charCodeAt(0) !== 0x23) return NAMED[ref] ?? fail(`an unknown entity &${ref};`, at + offset);
    const code = ref.charCodeAt(1) === 0x78 ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (!isXmlChar(code)) fail(`a reference to a character XML does not allow`, at + offset);
    return String.fromCodePoint(code);
  });
}

function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  return code <= 0xd7ff || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function skipSpace(src: string, pos: number): number {
  while (isSpace(src.charCodeAt(pos))) pos++;
  return pos;
}

/** NAME[c] for an ASCII code: 2 where a name may start ([A-Za-z_:]), 1 where it may go on ([0-9.-]), else 0. */
const NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  NAME[c] = /[A-Za-z_:]/.test(ch) ? 2 : /[0-9.-]/.test(ch) ? 1 : 0;
}

/** The end of the name that starts at `pos`; fails when none does. */
function nameEnd(src: string, pos: number): number {
  if (NAME[src.charCodeAt(pos)] !== 2) fail('expected a name', pos);
  let end = pos + 1;
  while (NAME[src.charCodeAt(end)]! > 0) end++;
  return end;
}

function indexOr(src: string, what: string, from: number): number {
  const at = src.indexOf(what, from);
  return at < 0 ? src.length : at;
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
