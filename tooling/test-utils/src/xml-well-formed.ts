/**
 * Test support: a small XML well-formedness check (no dependency), enough for the SVG the CLI
 * writes: one optional declaration, balanced and properly nested elements, quoted attributes
 * without duplicates, and character data without raw `<` or unescaped `&`.
 *
 * @packageDocumentation
 */

/** One element as {@link parseXmlElements} sees it. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  /** Names of the enclosing elements, outermost first. */
  ancestors: string[];
}

const NAME = '[A-Za-z_][\\w.:-]*';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'y');
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

function checkText(text: string, where: number): void {
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '<') throw new Error(`raw '<' at ${where + k}`);
    if (text[k] === '&') {
      ENTITY.lastIndex = k;
      if (!ENTITY.test(text)) throw new Error(`unescaped '&' at ${where + k}`);
    }
  }
}

/**
 * Parses `xml` far enough to prove it well-formed and returns its elements in document order.
 * @throws `Error` describing the first problem and its offset.
 */
export function parseXmlElements(xml: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const stack: string[] = [];
  let pos = 0;
  let seenRoot = false;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end === -1) throw new Error('unterminated XML declaration');
    pos = end + 2;
  }
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt === -1 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root element at ${pos}`);
    checkText(text, pos);
    if (lt === -1) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end === -1) throw new Error(`unterminated comment at ${lt}`);
      pos = end + 3;
      continue;
    }
    if (xml.startsWith('</', lt)) {
      const match = new RegExp(`</(${NAME})\\s*>`, 'y');
      match.lastIndex = lt;
      const m = match.exec(xml);
      if (m === null) throw new Error(`malformed end tag at ${lt}`);
      const open = stack.pop();
      if (open !== m[1]) throw new Error(`end tag </${m[1]}> at ${lt} closes <${open ?? '(nothing)'}>`);
      pos = lt + m[0].length;
      continue;
    }
    const start = new RegExp(`<(${NAME})`, 'y');
    start.lastIndex = lt;
    const s = start.exec(xml);
    if (s === null) throw new Error(`malformed tag at ${lt}`);
    if (stack.length === 0) {
      if (seenRoot) throw new Error(`second root element at ${lt}`);
      seenRoot = true;
    }
    let p = lt + s[0].length;
    const attributes: Record<string, string> = {};
    for (;;) {
      ATTRIBUTE.lastIndex = p;
      const a = ATTRIBUTE.exec(xml);
      if (a === null) break;
      if (a[1]! in attributes) throw new Error(`duplicate attribute ${a[1]} at ${p}`);
      const value = a[2] ?? a[3]!;
      checkText(value, p);
      attributes[a[1]!] = value;
      p += a[0].length;
    }
    const close = /\s*(\/?)>/y;
    close.lastIndex = p;
    const c = close.exec(xml);
    if (c === null) throw new Error(`malformed tag <${s[1]}> at ${lt}`);
    elements.push({ name: s[1]!, attributes, ancestors: [...stack] });
    if (c[1] !== '/') stack.push(s[1]!);
    pos = p + c[0].length;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)}>`);
  if (!seenRoot) throw new Error('no root element');
  return elements;
}
