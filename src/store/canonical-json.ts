import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785 does) and no whitespace, so equal
 * values always give equal text. Otherwise it follows JSON.stringify: toJSON is applied, undefined and
 * functions are dropped from objects and become null in arrays, non-finite numbers become null.
 */
export function canonicalJson(value: unknown): string {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (isOmitted(item) ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => !isOmitted(record[key]))
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return isOmitted(value) ? 'null' : JSON.stringify(value);
}

function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
