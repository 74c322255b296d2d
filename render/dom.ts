/**
 * Server-side DOM for Observable Plot. Plot builds its SVG through the
 * `document` option, and linkedom supplies a document without a browser.
 * The interfaces below name only the DOM members this package uses, because
 * Deno type-checks without the DOM library.
 */

import { DOMParser } from "linkedom";

export const SVG_NAMESPACE = "http://www.w3.org/2000/svg";
export const XLINK_NAMESPACE = "http://www.w3.org/1999/xlink";

/** DOM node type numbers from the DOM standard. */
export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

/** A DOM node as far as serialisation needs it. */
export interface XmlNode {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<XmlNode>;
}

/** A DOM attribute. */
export interface XmlAttribute {
  readonly name: string;
  readonly value: string;
}

/** A DOM element with the members the renderers call. */
export interface XmlElement extends XmlNode {
  readonly localName: string;
  readonly attributes: ArrayLike<XmlAttribute>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  append(...nodes: XmlNode[]): void;
  prepend(...nodes: XmlNode[]): void;
  remove(): void;
  querySelectorAll(selectors: string): ArrayLike<XmlElement>;
}

/** A DOM document that creates SVG elements and text nodes. */
export interface SvgDocument {
  createElementNS(namespace: string, name: string): XmlElement;
  createTextNode(text: string): XmlNode;
}

/** Attribute values accepted by {@linkcode createSvgElement}. */
export type AttributeValues = Readonly<Record<string, string | number>>;

/**
 * Creates an empty HTML document to pass to Plot as its `document` option.
 * Each chart gets its own, so no state carries over between renders.
 */
export function createDocument(): SvgDocument {
  return new DOMParser().parseFromString(
    "<!DOCTYPE html><html><body></body></html>",
    "text/html",
  ) as unknown as SvgDocument;
}

/** Creates an SVG element with the given attributes and optional text content. */
export function createSvgElement(
  document: SvgDocument,
  name: string,
  attributes: AttributeValues = {},
  text?: string,
): XmlElement {
  const element = document.createElementNS(SVG_NAMESPACE, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  if (text !== undefined) element.append(document.createTextNode(text));
  return element;
}
