/**
 * The pieces of markup readXml (xml.ts) meets besides start tags and text: the declaration, end
 * tags, comments, processing instructions, attributes, references and names, each checked as
 * XML 1.0 says, failing with XmlError at the first fault.
 */

export class XmlError extends Error {
  override readonly name = 'XmlError';
}

const GT = 0x3e;
const SLASH = 0x2f;
const EQ = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/**
 * Characters no XML document holds (a lone surrogate cannot come out of decoding UTF-8). Looked
 * for in texts, comments and the like only: in tags the names and white space exclude them.
 */
// eslint-disable-next-line no-control-regex -- these are the characters it exists to find
const NOT_XML_CHAR = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const DECLARATION = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1/;
const REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*)?(;)?/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Throws the XmlError for what is wrong at offset `at`. */
export const fail = (what: string, at: number): never => {
  throw new XmlError(`${what} at offset ${at}`);
};

/** Past the XML declaration at `pos`, if there is one there (only there may it be). */
export function declaration(src: string, pos: number): number {
  if (!src.startsWith('<?xml', pos) || !isSpace(src.charCodeAt(pos + 5))) return pos;
  if (!DECLARATION.test(src.slice(pos, pos + 64))) fail('a bad XML declaration', pos);
  return processingInstruction(src, pos, true);
}

/** Checks the end tag at `lt` against its start tag's name (at `start`); returns the position after it. */
export function endTag(src: string, lt: number, start: number, length: number): number {
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
export function misc(src: string, pos: number): number {
  for (;;) {
    pos = skipSpace(src, pos);
    if (src.startsWith('<!--', pos)) pos = comment(src, pos);
    else if (src.startsWith('<?', pos)) pos = processingInstruction(src, pos, false);
    else return pos;
  }
}

/** `<!--...-->` at `lt`, with no `--` inside; returns the position after it. */
export function comment(src: string, lt: number): number {
  if (!src.startsWith('<!--', lt)) fail('markup that is not an element, comment or CDATA', lt);
  const end = src.indexOf('-->', lt + 4);
  if (end < 0) fail('a comment is not closed', lt);
  if (src.indexOf('--', lt + 4) < end) fail('-- inside a comment', lt);
  checked(src.slice(lt + 4, end), lt);
  return end + 3;
}

/** `<?target ...?>` at `lt`; the target `xml` is the declaration, allowed only first. */
export function processingInstruction(src: string, lt: number, atStart: boolean): number {
  const targetEnd = nameEnd(src, lt + 2);
  if (!atStart && targetEnd - lt - 2 === 3 && src.slice(lt + 2, targetEnd).toLowerCase() === 'xml') {
    fail('an XML declaration that is not at the start', lt);
  }
  if (!src.startsWith('?>', targetEnd) && !isSpace(src.charCodeAt(targetEnd))) fail('a bad processing instruction', lt);
  const end = src.indexOf('?>', targetEnd);
  if (end < 0) fail('a processing instruction is not closed', lt);
  checked(src.slice(targetEnd, end), lt);
  return end + 2;
}

/** Checks the attributes of a start tag from just after its name; returns the position after `>` or `/>`. */
export function attributes(src: string, pos: number): number {
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
    const value = checked(src.slice(pos + 1, close), pos);
    if (value.includes('<')) fail('< in an attribute value', pos);
    if (value.includes('&')) decodeReferences(value, pos + 1);
    pos = close + 1;
  }
}

/** Decodes the five named entities and character references of a text run; `at` is where it starts. */
export function decodeReferences(raw: string, at: number): string {
  return raw.replace(REFERENCE, (_whole, ref: string | undefined, semicolon: string | undefined, offset: number) => {
    if (ref === undefined || semicolon === undefined) return fail('a bare & (write &amp;)', at + offset);
    if (ref.charCodeAt(0) !== 0x23) return NAMED[ref] ?? fail(`an unknown entity &${ref};`, at + offset);
    const code = ref.charCodeAt(1) === 0x78 ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (!isXmlChar(code)) fail(`a reference to a character XML does not allow`, at + offset);
    return String.fromCodePoint(code);
  });
}

/** `text` (found at `at`), when it holds no character XML forbids. */
export function checked(text: string, at: number): string {
  if (NOT_XML_CHAR.test(text)) fail('a character XML does not allow', at + text.search(NOT_XML_CHAR));
  return text;
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
export function nameEnd(src: string, pos: number): number {
  if (NAME[src.charCodeAt(pos)] !== 2) fail('expected a name', pos);
  let end = pos + 1;
  while (NAME[src.charCodeAt(end)]! > 0) end++;
  return end;
}

export function indexOr(src: string, what: string, from: number): number {
  const at = src.indexOf(what, from);
  return at < 0 ? src.length : at;
}
