import type { XmlVisitor } from './xml.js';

/** Text that reads as written: no markup, no reference, no CR, nothing XML forbids. */
const TEXT = '[^<&\\0-\\x08\\x0B-\\x1F\\uFFFE\\uFFFF]';
const NAME = '[A-Za-z_:][\\w.:-]*';
/** An element written plainly: no attributes, no space in its tags, text alone or children of text alone. */
const PLAIN = new RegExp(`<(${NAME})>(?:${TEXT}+|(?:<(${NAME})>${TEXT}*</\\2>)*)</\\1>`, 'y');

/** A plain element's name, then every child name its plain siblings had, in an order all kept. */
interface Layout {
  names: string[];
  /** Each child optional, its text captured: `<B>(?:<c>(TEXT*)</c>)?...</B>`. */
  pattern: RegExp;
}

/**
 * readXml's shortcut for plain elements, as every bucket on an OSS page is (and its owner): one
 * match of PLAIN reads such an element, and the children it had are kept as a layout, a literal
 * pattern that reads each later sibling in one match with its texts captured. Siblings with
 * other children widen the layout when the order allows. Only the speed differs from reading tag
 * by tag: the visitor gets the same events. The caller still checks the texts for ']]>'.
 */
export class PlainElements {
  readonly #layouts: Layout[] = [];
  #layout: Layout | undefined;
  #texts: RegExpExecArray | null = null;
  #start = 0;
  #end = 0;

  /** Where the plain element at `pos` ends, or -1 when the element there is not plain. */
  match(src: string, pos: number): number {
    for (const layout of this.#layouts) {
      layout.pattern.lastIndex = pos;
      const texts = layout.pattern.exec(src);
      if (texts !== null) {
        this.#layout = layout;
        this.#texts = texts;
        return (this.#end = layout.pattern.lastIndex);
      }
    }
    PLAIN.lastIndex = pos;
    if (!PLAIN.test(src)) return -1;
    this.#layout = undefined;
    this.#start = pos;
    return (this.#end = PLAIN.lastIndex);
  }

  /** Reports the element of the last match. */
  report(src: string, visitor: XmlVisitor): void {
    if (this.#layout !== undefined) {
      const names = this.#layout.names;
      const texts = this.#texts as RegExpExecArray;
      visitor.open(names[0] as string);
      for (let i = 1; i < names.length; i++) {
        const text = texts[i];
        if (text === undefined) continue; // this sibling has no such child
        visitor.open(names[i] as string);
        if (text !== '') visitor.text(text);
        visitor.close();
      }
      visitor.close();
      return;
    }
    const start = this.#start;
    const contentStart = src.indexOf('>', start) + 1;
    const contentEnd = this.#end - (contentStart - start) - 1; // at its end tag
    const names = [src.slice(start + 1, contentStart - 1)];
    visitor.open(names[0] as string);
    if (src.charCodeAt(contentStart) !== 0x3c) {
      if (contentEnd > contentStart) visitor.text(src.slice(contentStart, contentEnd));
      visitor.close();
      return;
    }
    for (let at = contentStart; at < contentEnd;) {
      const gt = src.indexOf('>', at);
      const name = src.slice(at + 1, gt);
      names.push(name);
      visitor.open(name);
      const lt = src.indexOf('<', gt);
      if (lt > gt + 1) visitor.text(src.slice(gt + 1, lt));
      visitor.close();
      at = lt + name.length + 3; // past its end tag
    }
    visitor.close();
    if (names.length > 1) this.#learn(names);
  }

  /** Keeps (or widens) the layout of a plain element whose children are `names.slice(1)`. */
  #learn(names: string[]): void {
    const at = this.#layouts.findIndex((layout) => layout.names[0] === names[0]);
    const known = at < 0 ? undefined : (this.#layouts[at] as Layout).names;
    const merged = (known && widen(known, names)) ?? names;
    if (merged === known) return;
    // Flat copies: a name sliced from a long text is slower to compare, and keeps the text alive.
    const flat = merged.map((name) => [...name].join(''));
    const literal = (name: string): string => name.replaceAll('.', '\\.');
    const children = flat.slice(1).map((name) => `(?:<${literal(name)}>(${TEXT}*)</${literal(name)}>)?`);
    const tag = literal(flat[0] as string);
    const layout = { names: flat, pattern: new RegExp(`<${tag}>${children.join('')}</${tag}>`, 'y') };
    if (at >= 0) this.#layouts.splice(at, 1);
    this.#layouts.unshift(layout);
    if (this.#layouts.length > 4) this.#layouts.pop();
  }
}

/**
 * `known` with the names of `seen` it lacks put in, keeping the order of both; `known` itself
 * when it lacks none, undefined when the two orders disagree. (Both start with the parent's name.)
 */
export function widen(known: string[], seen: string[]): string[] | undefined {
  const out = [...known];
  let last = 0; // index in `out` of the previous name of `seen` (0: the parent)
  for (const name of seen.slice(1)) {
    const at = out.indexOf(name);
    if (at < 0) out.splice(++last, 0, name);
    else if (at > last) last = at;
    else return undefined;
  }
  return out.length === known.length ? known : out;
}
