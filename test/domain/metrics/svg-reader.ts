// Reads an SVG strictly: the validator refuses anything that is not well-formed XML (a bare &, a stray <,
// a repeated attribute), then the parser gives the elements for the test to look at.

import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  tag: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** All text inside, entities decoded. */
  text: string;
}

type Ordered = Record<string, unknown>;

function toElement(node: Ordered): XmlElement | null {
  const tag = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (!tag || tag.startsWith('?')) return null;
  const kids = (node[tag] as Ordered[]) ?? [];
  const children = kids.map(toElement).filter((e): e is XmlElement => e !== null);
  const text = kids
    .map((k) => (typeof k['#text'] === 'string' ? k['#text'] : (toElement(k)?.text ?? '')))
    .join('');
  return { tag, attributes: (node[':@'] as Record<string, string>) ?? {}, children, text };
}

export function parseSvg(svg: string): XmlElement {
  assert.equal(XMLValidator.validate(svg), true, 'the SVG is well-formed XML');
  const nodes = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  }).parse(svg) as Ordered[];
  const root = nodes.map(toElement).find((e) => e !== null);
  assert.ok(root, 'a root element');
  return root;
}

/** Every element with this tag name, in document order. */
export function all(element: XmlElement, tag: string): XmlElement[] {
  return [...(element.tag === tag ? [element] : []), ...element.children.flatMap((c) => all(c, tag))];
}

/** The text of the element's <title> child. */
export const titleOf = (element: XmlElement): string | undefined =>
  element.children.find((c) => c.tag === 'title')?.text;
