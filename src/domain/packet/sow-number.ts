/** `SOW-`, a four-digit year, `-`, three or more digits. Nothing else is a SOW number: it becomes a file name. */
export const sowNumberPattern = /^SOW-\d{4}-\d{3,}$/;
const sowInText = /\bSOW-\d{4}-\d{3,}\b/i;

export function isSowNumber(value: string): boolean {
  return sowNumberPattern.test(value);
}

/** The first SOW number named in a line of text, upper-cased. */
export function findSowNumber(text: string): string | undefined {
  return sowInText.exec(text)?.[0].toUpperCase();
}

/** Expands a playbook path template (`operations/.../{sow}-handoff-packet.md`). */
export function sowPath(template: string, sow: string): string {
  if (!isSowNumber(sow))
    throw new RangeError(`not a SOW number: ${JSON.stringify(sow)} (expected SOW-YYYY-NNN)`);
  return template.replaceAll('{sow}', sow);
}
