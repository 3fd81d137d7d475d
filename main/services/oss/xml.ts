/**
 * Just enough XML for OSS answers: elements, text, CDATA, the five named entities and numeric
 * references. No DTDs (so no entity expansion), attributes are read and ignored.
 */

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** The element's own text (CDATA included), entities decoded. */
  text: string;
}

export class XmlError extends Error {
  override readonly name = 'XmlError';
}

/** Deepest element accepted (the root is depth 0); shared with the ListBuckets page reader. */
export const MAX_DEPTH = 32;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses a document and returns its root element; throws XmlError when it is not well-formed. */
export function parseXml(source: string): XmlElement {
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (what: string): never => {
    throw new XmlError(`${what} at offset ${pos}`);
  };
  const skipSpace = (): void => {
    while (pos < source.length && /\s/.test(source[pos]!)) pos++;
  };
  const skipPast = (end: string): void => {
    const at = source.indexOf(end, pos);
    if (at < 0) fail(`missing ${end}`);
    pos = at + end.length;
  };
  const skipMisc = (): void => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<?', pos)) skipPast('?>');
      else if (source.startsWith('<!--', pos)) skipPast('-->');
      else if (source.startsWith('<!', pos)) fail('DTDs are not accepted');
      else return;
    }
  };
  const readName = (): string => {
    const m = /^[A-Za-z_][\w.:-]*/.exec(source.slice(pos, pos + 256));
    if (!m) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };

  const readElement = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) fail('too deeply nested');
    if (source[pos] !== '<') fail('expected <');
    pos++;
    const element: XmlElement = { name: readName(), children: [], text: '' };
    // Attributes: skipped, but quotes are honoured so a '>' inside one does not end the tag.
    for (;;) {
      skipSpace();
      const c = source[pos];
      if (c === undefined) fail('unterminated tag');
      if (c === '/' && source[pos + 1] === '>') {
        pos += 2;
        return element;
      }
      if (c === '>') {
        pos++;
        break;
      }
      readName();
      skipSpace();
      if (source[pos] !== '=') fail('expected =');
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      pos++;
      skipPast(quote as string);
    }
    let text = '';
    for (;;) {
      const lt = source.indexOf('<', pos);
      if (lt < 0) fail(`unterminated <${element.name}>`);
      text += decodeEntities(source.slice(pos, lt), fail);
      pos = lt;
      if (source.startsWith('</', pos)) {
        pos += 2;
        if (readName() !== element.name) fail(`mismatched </${element.name}>`);
        skipSpace();
        if (source[pos] !== '>') fail('expected >');
        pos++;
        element.text = text;
        return element;
      }
      if (source.startsWith('<![CDATA[', pos)) {
        const end = source.indexOf(']]>', pos);
        if (end < 0) fail('unterminated CDATA');
        text += source.slice(pos + 9, end);
        pos = end + 3;
      } else if (source.startsWith('<!--', pos)) {
        skipPast('-->');
      } else if (source.startsWith('<?', pos)) {
        skipPast('?>');
      } else {
        element.children.push(readElement(depth + 1));
      }
    }
  };

  skipMisc();
  const root = readElement(0);
  skipMisc();
  if (pos !== source.length) fail('content after the root element');
  return root;
}

/** Decodes the entity and character references of one text run; `fail` is called on a bad one. */
export function decodeEntities(raw: string, fail: (what: string) => never): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;]{0,10});?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) return fail('bad entity reference');
    const named = NAMED[ref];
    if (named !== undefined) return named;
    const m = /^#(x[0-9a-fA-F]{1,6}|[0-9]{1,7})$/.exec(ref);
    if (!m) return fail(`unknown entity &${ref};`);
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (code > 0x10ffff) return fail('bad character reference');
    return String.fromCodePoint(code);
  });
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
