/**
 * XML serialisation of the chart DOM. linkedom's `outerHTML` leaves `<` and
 * `&` unescaped inside attribute values, which breaks XML parsers, so the
 * charts are written out here with XML escaping, rounded coordinates and
 * explicit colours.
 */

import {
  ELEMENT_NODE,
  TEXT_NODE,
  type XmlElement,
  type XmlNode,
} from "./dom.ts";

/**
 * Code points that XML 1.0 forbids even as character references: C0 controls
 * other than tab, line feed and carriage return, unpaired surrogates, U+FFFE
 * and U+FFFF.
 */
const INVALID_XML_CHARACTERS =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
};

/** Attribute escapes. Whitespace is escaped too, so parsers do not normalise it to spaces. */
const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  '"': "&quot;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/**
 * Decimals kept per numeric attribute. Pixel coordinates keep one, which is
 * finer than a screen shows and keeps large charts small. Opacities keep two
 * so that shading stays smooth.
 */
const ATTRIBUTE_DECIMALS: ReadonlyMap<string, number> = new Map([
  ["cx", 1],
  ["cy", 1],
  ["d", 1],
  ["dx", 1],
  ["dy", 1],
  ["height", 1],
  ["points", 1],
  ["r", 1],
  ["stroke-width", 1],
  ["transform", 1],
  ["width", 1],
  ["x", 1],
  ["x1", 1],
  ["x2", 1],
  ["y", 1],
  ["y1", 1],
  ["y2", 1],
  ["fill-opacity", 2],
  ["opacity", 2],
  ["stroke-opacity", 2],
]);

/** A decimal number, with an optional exponent, inside an attribute value. */
const DECIMAL_NUMBER = /-?(?:\d+\.\d*|\.\d+)(?:e[-+]?\d+)?|-?\d+e[-+]?\d+/gi;

/** Replaces characters that XML 1.0 cannot represent with U+FFFD. */
export function replaceInvalidXmlCharacters(text: string): string {
  return text.replace(INVALID_XML_CHARACTERS, "\uFFFD");
}

/** Escapes text for use as XML character data. */
export function escapeXmlText(text: string): string {
  return replaceInvalidXmlCharacters(text).replace(
    /[&<>]/g,
    (character) => TEXT_ESCAPES[character]!,
  );
}

/** Escapes text for use inside a double-quoted XML attribute value. */
export function escapeXmlAttribute(text: string): string {
  return replaceInvalidXmlCharacters(text).replace(
    /[&<>"\t\n\r]/g,
    (character) => ATTRIBUTE_ESCAPES[character]!,
  );
}

/** Rounds every decimal number in an attribute value to `decimals` places. */
export function roundNumbers(value: string, decimals: number): string {
  const scale = 10 ** decimals;
  return value.replace(DECIMAL_NUMBER, (number) => {
    const rounded = Math.round(Number(number) * scale) / scale;
    return String(rounded === 0 ? 0 : rounded);
  });
}

/** Options of {@linkcode serializeXml}. */
export interface SerializeOptions {
  /** Colour written in place of `currentColor`, which an `<img>` cannot inherit. */
  readonly currentColor: string;
}

/**
 * Serialises an element tree as XML. Comments are dropped, namespace
 * declarations come first among the attributes, and elements without
 * children are self-closed.
 */
export function serializeXml(
  root: XmlElement,
  options: SerializeOptions,
): string {
  const parts: string[] = [];
  writeElement(root, options, parts);
  return parts.join("");
}

function writeElement(
  element: XmlElement,
  options: SerializeOptions,
  parts: string[],
): void {
  const name = element.localName;
  parts.push("<", name);

  const attributes = Array.from(element.attributes);
  const declarations = attributes.filter((a) => a.name.startsWith("xmlns"));
  const others = attributes.filter((a) => !a.name.startsWith("xmlns"));
  for (const { name: attributeName, value } of [...declarations, ...others]) {
    let text = value === "currentColor" ? options.currentColor : value;
    const decimals = ATTRIBUTE_DECIMALS.get(attributeName);
    if (decimals !== undefined) text = roundNumbers(text, decimals);
    parts.push(" ", attributeName, '="', escapeXmlAttribute(text), '"');
  }

  const children = element.childNodes;
  if (children.length === 0) {
    parts.push("/>");
    return;
  }
  parts.push(">");
  for (let i = 0; i < children.length; i++) {
    writeNode(children[i]!, options, parts);
  }
  parts.push("</", name, ">");
}

function writeNode(
  node: XmlNode,
  options: SerializeOptions,
  parts: string[],
): void {
  if (node.nodeType === ELEMENT_NODE) {
    writeElement(node as XmlElement, options, parts);
  } else if (node.nodeType === TEXT_NODE) {
    parts.push(escapeXmlText(node.textContent ?? ""));
  }
}
