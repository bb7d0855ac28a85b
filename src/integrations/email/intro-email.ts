/**
 * The warm introduction email: a plain-text template with `{{name}}` placeholders, rendered to text and
 * to HTML. The HTML is the text escaped as a whole (values and template alike), so nothing from a packet
 * can become markup; the subject loses line breaks and control characters, so nothing can become a header.
 */

export interface EmailTemplate {
  subject: string;
  text: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const placeholder = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/** The names a template uses, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(placeholder)].map((m) => m[1] as string))];
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Removes what must not be in a header line: line breaks and other control characters. */
function headerSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(placeholder, (_m, name: string) => values[name] ?? '');
}

export function renderEmail(template: EmailTemplate, values: Record<string, string>): RenderedEmail {
  const text = fill(template.text, values).replace(/\r\n?/g, '\n');
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`);
  return {
    subject: headerSafe(fill(template.subject, values)),
    text,
    html: `<!doctype html>\n<html><body>\n${paragraphs.join('\n')}\n</body></html>\n`,
  };
}
