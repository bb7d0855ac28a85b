/**
 * A tiny HTML builder that escapes by default: every value interpolated into `html\`...\`` is escaped
 * for text and for double-quoted attribute values, unless it is already `SafeHtml` (built by `html`
 * itself, or by `raw` for a constant the code wrote). Attributes are always written in double quotes.
 */

export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c] as string);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Markup the program wrote itself (never text from a person or a file). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** `attr` when the condition holds: `${when(checked, 'checked')}`. */
export function when(condition: boolean | undefined, markup: string): SafeHtml {
  return new SafeHtml(condition ? markup : '');
}
