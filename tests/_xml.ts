/**
 * A strict XML well-formedness checker for the tests. linkedom's XML parser
 * accepts broken markup, so SVG output is checked with this one instead.
 */

export interface XmlTree {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly (XmlTree | string)[];
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

/** Parses an XML document, throwing a SyntaxError at the first violation. */
export function parseXml(source: string): XmlTree {
  let position = 0;

  const fail = (message: string): never => {
    throw new SyntaxError(
      `${message} at offset ${position}: ${
        JSON.stringify(source.slice(position, position + 40))
      }`,
    );
  };
  const skipWhitespace = () => {
    while (/[ \t\r\n]/.test(source[position] ?? "")) position++;
  };
  const expect = (text: string) => {
    if (!source.startsWith(text, position)) fail(`expected ${text}`);
    position += text.length;
  };
  const readName = (): string => {
    NAME.lastIndex = position;
    const match = NAME.exec(source);
    if (match === null) return fail("expected a name");
    position += match[0].length;
    return match[0];
  };
  const decode = (raw: string): string => {
    const text = raw.replace(/&([^;&]*);|&/g, (whole, entity?: string) => {
      if (entity === undefined) return fail("bare & in text or attribute");
      if (entity in PREDEFINED_ENTITIES) return PREDEFINED_ENTITIES[entity]!;
      const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(entity);
      if (numeric === null) return fail(`undefined entity ${whole}`);
      const code = numeric[1] !== undefined
        ? parseInt(numeric[1], 16)
        : parseInt(numeric[2]!, 10);
      return String.fromCodePoint(code);
    });
    for (const character of text) {
      const code = character.codePointAt(0)!;
      const allowed = code === 0x9 || code === 0xa || code === 0xd ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff);
      if (!allowed) fail(`character U+${code.toString(16)} is not allowed`);
    }
    return text;
  };

  const parseElement = (): XmlTree => {
    expect("<");
    const name = readName();
    const attributes = new Map<string, string>();
    const children: (XmlTree | string)[] = [];

    // Attributes, each preceded by whitespace.
    for (;;) {
      const before = position;
      skipWhitespace();
      if (source.startsWith("/>", position)) {
        position += 2;
        return { name, attributes, children };
      }
      if (source[position] === ">") {
        position++;
        break;
      }
      if (position === before) fail("expected whitespace before attribute");
      const attribute = readName();
      skipWhitespace();
      expect("=");
      skipWhitespace();
      const quote = source[position];
      if (quote !== '"' && quote !== "'") fail("expected a quoted value");
      const end = source.indexOf(quote!, position + 1);
      if (end < 0) fail("unterminated attribute value");
      const raw = source.slice(position + 1, end);
      if (raw.includes("<")) fail("< inside an attribute value");
      if (attributes.has(attribute)) fail(`duplicate attribute ${attribute}`);
      attributes.set(attribute, decode(raw));
      position = end + 1;
    }

    // Content up to the matching end tag.
    for (;;) {
      if (position >= source.length) fail(`unclosed element <${name}>`);
      if (source.startsWith("</", position)) {
        position += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipWhitespace();
        expect(">");
        return { name, attributes, children };
      }
      if (source.startsWith("<!--", position)) {
        const end = source.indexOf("-->", position);
        if (end < 0) fail("unterminated comment");
        position = end + 3;
      } else if (source.startsWith("<![CDATA[", position)) {
        const end = source.indexOf("]]>", position);
        if (end < 0) fail("unterminated CDATA section");
        children.push(source.slice(position + 9, end));
        position = end + 3;
      } else if (source[position] === "<") {
        children.push(parseElement());
      } else {
        let end = source.indexOf("<", position);
        if (end < 0) end = source.length;
        const raw = source.slice(position, end);
        if (raw.includes("]]>")) fail("]]> in text");
        children.push(decode(raw));
        position = end;
      }
    }
  };

  if (source.startsWith("<?xml")) {
    const end = source.indexOf("?>");
    if (end < 0) fail("unterminated XML declaration");
    position = end + 2;
  }
  skipWhitespace();
  const root = parseElement();
  skipWhitespace();
  if (position !== source.length) fail("content after the root element");
  return root;
}

export function elementsOf(tree: XmlTree, name: string): XmlTree[] {
  const found: XmlTree[] = [];
  const visit = (node: XmlTree) => {
    if (node.name === name) found.push(node);
    for (const child of node.children) {
      if (typeof child !== "string") visit(child);
    }
  };
  visit(tree);
  return found;
}

export function textOf(node: XmlTree | string): string {
  if (typeof node === "string") return node;
  return node.children.map(textOf).join("");
}

export function allText(svg: string): string {
  return textOf(parseXml(svg));
}

export function firstElementChildren(tree: XmlTree): XmlTree[] {
  return tree.children.filter((c): c is XmlTree => typeof c !== "string");
}
