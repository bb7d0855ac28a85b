import type { Playbook, PlaybookField } from '../playbook/index.ts';
import { findDate } from './dates.ts';
import { normalizeLabel } from './labels.ts';

/** What a field's text says, read into the parts its kind has. */
export interface FieldReading {
  /** The cell says "not applicable" (empty, `N/A`, `-`, `—`...). */
  notApplicable: boolean;
  /** The placeholder text found, when the value (or one of its parts) is not filled in. */
  placeholder?: string;
  /** Parts found, by part id (`date`, `email`, ...). Values as written, dates in ISO form. */
  parts: Record<string, string>;
  /** Required parts that are absent, by part id. */
  missing: string[];
  /** Parts present but not readable, with what is wrong. */
  invalid: { part: string; message: string }[];
  /** For `modules`: the module names read (canonical spelling). */
  modules?: string[];
  /** For `modules`: items that are not module names. */
  unknownModules?: string[];
}

const emailInText = /[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]{2,}/u;

/**
 * /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]{2,}$/u.test(text), without the regular
 * expression (slow on text that is not Latin-1, as most packets are: an em dash is enough): one `@`
 * with text before it, no white space nor any of `<>()[]",;:`, and after the `@` some text, a dot and
 * two or more characters (code points).
 */
export function isEmail(text: string): boolean {
  const at = text.indexOf('@');
  if (at <= 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // a-z, A-Z and -./0-9, the most of an address, are allowed.
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x2d && code <= 0x39) || (code >= 0x41 && code <= 0x5a))
      continue;
    if (i !== at && notInEmail(code)) return false;
  }
  // The first dot with a character between it and the `@` leaves the most after it.
  const dot = text.indexOf('.', at + 2);
  if (dot < 0) return false;
  const after = text.length - dot - 1;
  return after >= 3 || (after === 2 && !surrogatePairAt(text, dot + 1));
}

/** `@`, `<>()[]",;:` and what `\s` matches: the characters an email address cannot have. */
function notInEmail(code: number): boolean {
  switch (code) {
    case 0x40: // @
    case 0x3c: // <
    case 0x3e: // >
    case 0x28: // (
    case 0x29: // )
    case 0x5b: // [
    case 0x5d: // ]
    case 0x22: // "
    case 0x2c: // ,
    case 0x3b: // ;
    case 0x3a: // :
      return true;
    default:
      return isSpaceCode(code);
  }
}

/** What `\s` matches: white space and line terminators. */
function isSpaceCode(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function surrogatePairAt(text: string, i: number): boolean {
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  return a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff;
}

export function phoneDigits(text: string): string {
  return text.replace(/(ext\.?|x)\s*\d+\s*$/i, '').replace(/\D/g, '');
}

/** `+`, a digit or one of `().-/`: what a phone number starts with (white space trimmed). */
function phoneStart(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2b ||
    code === 0x28 ||
    code === 0x29 ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x2f
  );
}

/** Looks like a phone number: digits with the usual separators, 7 to 15 digits. `digits`: its phoneDigits. */
export function isPhone(text: string, digits?: string): boolean {
  const t = text.trim();
  if (!phoneStart(t.charCodeAt(0))) return false;
  if (!/^\+?[\d\s().\-/]+((ext\.?|x)\s*\d+)?$/i.test(t)) return false;
  const n = (digits ?? phoneDigits(text)).length;
  return n >= 7 && n <= 15;
}

/** The target of a markdown link `[text](target)` or autolink `<target>`, else the text itself. */
export function linkTarget(text: string): string {
  const t = text.trim();
  switch (t.charCodeAt(0)) {
    case 0x5b /* [ */:
      return /^\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)$/.exec(t)?.[1] ?? t;
    case 0x3c /* < */:
      return /^<([^<>\s]+)>$/.exec(t)?.[1] ?? t;
    case 0x60 /* ` */:
      return t.replace(/^`(.*)`$/, '$1');
    default:
      return t;
  }
}

/** Splits a value into its parts: on `;`, or on `,` when there is no `;` and the kind allows it. */
export function splitParts(value: string, commaToo: boolean): string[] {
  if (commaToo && !value.includes(';')) {
    return value
      .split(/,(?!\d{3}\b)/)
      .map((p) => p.trim())
      .filter((p) => p !== '');
  }
  const parts: string[] = [];
  let start = 0;
  for (;;) {
    const end = value.indexOf(';', start);
    const part = (end < 0 ? value.slice(start) : value.slice(start, end)).trim();
    if (part !== '') parts.push(part);
    if (end < 0) return parts;
    start = end + 1;
  }
}

interface PlaybookPatterns {
  placeholders: RegExp[];
  /** One of these matches every text that one of `placeholders` matches (and maybe more). */
  anyPlaceholder: RegExp[];
  notApplicable: Set<string>;
  /** The length of the longest of `notApplicable`. */
  notApplicableLength: number;
  /** Ways of writing "all modules", normalised. */
  allModules: Set<string>;
  /** Module names with their normalised form and its words. */
  moduleNames: { name: string; key: string; words: string[] }[];
}

/**
 * Regular expressions of which one matches whenever one of `sources` does: alternations of the sources,
 * each without a leading boundary group such as `(^|[^\p{L}\p{N}])` (what follows it must match all the
 * same, and an alternation that starts with a character class is slow to try at every position). Sources
 * anchored at the start (`^...` with no `|` outside a group) go in an alternation of their own, tried once;
 * mixed with the others they would make every position slow. A match is a hint only: the playbook's own
 * expressions, in order, decide. Empty when that cannot be built soundly (a back-reference would change
 * meaning).
 */
function placeholderPrefilter(sources: string[]): RegExp[] {
  if (sources.some((s) => /\\[1-9k]/.test(s))) return [];
  const anchored = sources.filter(startAnchored);
  const floating = sources
    .filter((s) => !startAnchored(s))
    .map((s) => withoutTrailingBoundary(withoutLeadingBoundary(s)));
  try {
    return [anchored, floating]
      .filter((list) => list.length > 0)
      .map((list) => new RegExp(list.map((s) => `(?:${s})`).join('|'), 'iu'));
  } catch {
    return [];
  }
}

/** `^...` with no top-level `|`: can only match at the start of the text. */
function startAnchored(source: string): boolean {
  if (!source.startsWith('^')) return false;
  let depth = 0;
  let inClass = false;
  for (let i = 1; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return false;
  }
  return true;
}

/**
 * `rest(X|$)` -> `rest`, when the trailing group is a plain or capture group without nested groups, with a
 * `$` alternative: what is left matches wherever the whole did (and maybe more, which a hint may). Boundary
 * groups such as `([^\p{L}\p{N}]|$)` are what make an expression slow to compile (a few ms under `iu`,
 * on every `baton gate`); without them, the hint does not need them compiled on a clean packet.
 */
function withoutTrailingBoundary(source: string): string {
  const m = /\((?:\?:)?(?:\$\|[^()]*|[^()]*\|\$)\)$/.exec(source);
  if (!m || m.index === 0 || source[m.index - 1] === '\\') return source;
  const rest = source.slice(0, m.index);
  // An unbalanced rest (the group was inside another) or one that ends in an escape: keep it whole.
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  if (depth !== 0 || inClass || rest.endsWith('|')) return source;
  try {
    new RegExp(rest, 'iu');
  } catch {
    return source;
  }
  return rest;
}

/** `(^|X)rest` -> `rest`, when the leading group is a capture or plain group with a `^` alternative. */
function withoutLeadingBoundary(source: string): string {
  const m = /^\((?:\?:)?\^\|/.exec(source);
  if (!m) return source;
  // Find the group's end: no nested groups, no escapes of `)` beyond `\)`, classes skipped whole.
  let i = m[0].length;
  let inClass = false;
  for (; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') inClass = true;
    else if (ch === '(') return source;
    else if (ch === ')') break;
  }
  const rest = source.slice(i + 1);
  // A quantified group, or nothing after it: keep the expression as it is.
  if (i >= source.length || rest === '' || /^[*+?{]/.test(rest)) return source;
  try {
    new RegExp(rest, 'iu');
  } catch {
    return source;
  }
  return rest;
}

const compiled = new WeakMap<Playbook, PlaybookPatterns>();
function playbookPatterns(playbook: Playbook): PlaybookPatterns {
  let hit = compiled.get(playbook);
  if (!hit) {
    const notApplicable = new Set(playbook.placeholders.notApplicable.map((s) => s.trim().toLowerCase()));
    hit = {
      placeholders: playbook.placeholders.values.map((s) => new RegExp(s, 'iu')),
      anyPlaceholder: placeholderPrefilter(playbook.placeholders.values),
      notApplicable,
      notApplicableLength: Math.max(0, ...[...notApplicable].map((s) => s.length)),
      allModules: new Set(playbook.modules.all.map(normalizeLabel)),
      moduleNames: playbook.modules.names.map((name) => {
        const key = normalizeLabel(name);
        return { name, key, words: key.split(' ') };
      }),
    };
    compiled.set(playbook, hit);
  }
  return hit;
}

function notApplicableIn(value: string, patterns: PlaybookPatterns): boolean {
  const text = value.trim();
  // Lower case has at least one UTF-16 unit per code point, so at least half the length: longer text
  // cannot be one of the words, and is not lower-cased (slow for text that is not Latin-1).
  if (text.length > 2 * patterns.notApplicableLength) return false;
  return patterns.notApplicable.has(text.toLowerCase());
}

export function isNotApplicable(value: string, playbook: Playbook): boolean {
  return notApplicableIn(value, playbookPatterns(playbook));
}

/** `findPlaceholder` on text already trimmed. */
function placeholderIn(text: string, patterns: PlaybookPatterns): string | undefined {
  const hints = patterns.anyPlaceholder;
  if (hints.length > 0) {
    let hinted = false;
    for (const re of hints) if (re.test(text)) hinted = true;
    if (!hinted) return undefined;
  }
  for (const re of patterns.placeholders) {
    const m = re.exec(text);
    if (m) return (m[0].trim() || text).slice(0, 60);
  }
  return undefined;
}

/** The placeholder text in a value, if it has one (`TBD`, `[name]`, `<email>`, `???`, `lorem ipsum`...). */
export function findPlaceholder(value: string, playbook: Playbook): string | undefined {
  return placeholderIn(value.trim(), playbookPatterns(playbook));
}

/** A list of choices with their normalised form, longest first (stable among equal lengths). */
type Choices = { choice: string; key: string; padded: string }[];
const choiceLists = new WeakMap<string[], Choices>();
function choicesOf(choices: string[]): Choices {
  let hit = choiceLists.get(choices);
  if (!hit) {
    hit = [...choices]
      .sort((a, b) => b.length - a.length)
      .map((choice) => {
        const key = normalizeLabel(choice);
        return { choice, key, padded: ` ${key} ` };
      });
    choiceLists.set(choices, hit);
  }
  return hit;
}

function matchChoice(value: string, choices: string[]): string | undefined {
  const v = normalizeLabel(value);
  // Longest first so that `processing initiated` wins over `processing`.
  for (const { choice, key } of choicesOf(choices)) {
    if (v === key || (v.startsWith(key) && v.charCodeAt(key.length) === 0x20)) return choice;
  }
  return undefined;
}

function findChoiceInside(value: string, choices: string[]): string | undefined {
  const v = ` ${normalizeLabel(value)} `;
  for (const { choice, padded } of choicesOf(choices)) if (v.includes(padded)) return choice;
  return undefined;
}

/** What the readers need of a field, worked out once per field object. */
interface FieldPlan {
  wanted: Set<string>;
  maturities: string[];
  statuses: string[];
  required: string[];
}
const plans = new WeakMap<PlaybookField, FieldPlan>();
function planOf(field: PlaybookField): FieldPlan {
  let plan = plans.get(field);
  if (!plan) {
    plan = {
      wanted: new Set(field.parts.map((p) => p.id)),
      maturities: field.parts.find((p) => p.id === 'maturity')?.values ?? [],
      statuses: field.parts.find((p) => p.id === 'status')?.values ?? [],
      required: field.parts.filter((p) => p.required).map((p) => p.id),
    };
    plans.set(field, plan);
  }
  return plan;
}

type Reader = (value: string, field: PlaybookField, playbook: Playbook, r: FieldReading) => void;

const readers: Record<PlaybookField['kind'], Reader> = {
  text() {},
  companySize(value, _field, _playbook, r) {
    for (const part of splitParts(value, true)) {
      if (/[$€£¥]|\brevenue\b|\barr\b|\bturnover\b|\d\s*(k|m|mm|b|bn|million|billion)\b/i.test(part))
        r.parts.revenue ??= part;
      else if (
        /\d/.test(part) &&
        (/employee|staff|people|headcount|fte|person|seat/i.test(part) ||
          /^[\d,.]+\s*(\+|-|–|to)?\s*[\d,.]*$/.test(part))
      )
        r.parts.employees ??= part;
    }
  },
  score(value, _field, _playbook, r) {
    const m = /^(\d{1,3}(?:\.\d+)?)\s*(?:\/\s*100|%|out of 100|points?)?\b/i.exec(value.trim());
    if (!m) {
      r.invalid.push({
        part: 'score',
        message: `"${value}" is not a score; write a number from 0 to 100, e.g. 82/100`,
      });
      return;
    }
    const n = Number(m[1]);
    if (n > 100)
      r.invalid.push({ part: 'score', message: `${n} is above 100; the ICP fit score runs from 0 to 100` });
    else r.parts.score = String(n);
  },
  ecosystem(value, field, _playbook, r) {
    const count = /(\d[\d,]*)\s*\+?/.exec(value);
    if (count) r.parts.partners = count[1]!.replace(/,/g, '');
    else if (/\b(no|zero|none)\b/i.test(value)) r.parts.partners = '0';
    const maturity = findChoiceInside(value, planOf(field).maturities);
    if (maturity) r.parts.maturity = maturity.toLowerCase();
  },
  dealId(value, _field, _playbook, r) {
    const target = linkTarget(value);
    if (/^\d{3,}$/.test(target)) {
      r.parts.item = target;
      return;
    }
    const url =
      /^https:\/\/([a-z0-9][a-z0-9-]*)\.monday\.com\/boards\/(\d+)\/(?:pulses|items)\/(\d+)\/?(?:[?#].*)?$/i.exec(
        target,
      );
    if (url) {
      r.parts.item = url[3]!;
      r.parts.board = url[2]!;
      r.parts.account = url[1]!.toLowerCase();
      return;
    }
    r.invalid.push({
      part: 'item',
      message: `"${value}" is not a monday.com item: give the item id (digits) or its URL, https://<account>.monday.com/boards/<board>/pulses/<item>`,
    });
  },
  modules(value, _field, playbook, r) {
    const names = playbook.modules.names;
    const { allModules, moduleNames } = playbookPatterns(playbook);
    const v = normalizeLabel(value.replace(/\(.*?\)/g, ''));
    if (allModules.has(v) || /^all\b/.test(v)) {
      r.modules = [...names];
      r.unknownModules = [];
      return;
    }
    const found: string[] = [];
    const unknown: string[] = [];
    for (const item of value.split(/[;,/&+\n]|\band\b/i)) {
      const text = item
        .replace(/\(.*?\)/g, '')
        .replace(/[*_`]/g, '')
        .trim();
      if (!text) continue;
      const key = normalizeLabel(text);
      const hit = (
        moduleNames.find((n) => n.key === key) ??
        moduleNames.find((n) => n.words.includes(key) && key.length > 4) ??
        moduleNames.find((n) => key.startsWith(n.key))
      )?.name;
      if (hit) {
        if (!found.includes(hit)) found.push(hit);
      } else unknown.push(text);
    }
    r.modules = found;
    r.unknownModules = unknown;
  },
  choice(value, field, _playbook, r) {
    const choice = matchChoice(value, field.values);
    if (choice) r.parts.choice = choice;
    else r.invalid.push({ part: 'choice', message: `"${value}" is not one of ${field.values.join(', ')}` });
  },
  agreement(value, field, _playbook, r) {
    const v = normalizeLabel(value);
    if (/^(not required|not needed|no|none needed|n a not required|not applicable)\b/.test(v)) {
      r.parts.required = 'no';
      return;
    }
    const status = findChoiceInside(value, field.values);
    if (/^required\b|^yes\b/.test(v) || status) {
      r.parts.required = 'yes';
      if (status) r.parts.status = status.toLowerCase();
      else
        r.invalid.push({
          part: 'status',
          message: `say where it stands after "Required": ${field.values.join(', ')}`,
        });
      return;
    }
    r.invalid.push({
      part: 'required',
      message: `"${value}": write "Not required", or "Required; <${field.values.join(' / ')}>"`,
    });
  },
  sowSigned(value, _field, _playbook, r) {
    for (const part of splitParts(value, true)) {
      const target = linkTarget(part);
      if (
        !r.parts.link &&
        !/^\d/.test(target) &&
        (/^https?:\/\//i.test(target) || /[/\\]|\.(pdf|md|docx?|txt)$/i.test(target))
      ) {
        r.parts.link = target;
        continue;
      }
      const version = /^(?:sow\s+)?(?:version\s*|ver\.?\s*)?(v?\d+(?:\.\d+)*)$/i.exec(part);
      const date = findDate(part);
      if (
        !r.parts.version &&
        version &&
        (/^v/i.test(version[1]!) || /version|ver/i.test(part) || version[1]!.includes('.')) &&
        !date
      ) {
        r.parts.version = version[1]!.toLowerCase().startsWith('v') ? version[1]! : `v${version[1]}`;
        continue;
      }
      if (!r.parts.date && date) {
        if ('date' in date) r.parts.date = date.date;
        else
          r.invalid.push({
            part: 'date',
            message: `"${date.ambiguous}" could be two dates; write it as YYYY-MM-DD`,
          });
      }
    }
  },
  payment(value, field, _playbook, r) {
    const statuses = planOf(field).statuses;
    for (const part of splitParts(value, true)) {
      const date = findDate(part);
      if (!r.parts.date && date && (date as { index?: number }).index === 0) {
        if ('date' in date) r.parts.date = date.date;
        else
          r.invalid.push({
            part: 'date',
            message: `"${date.ambiguous}" could be two dates; write it as YYYY-MM-DD`,
          });
        continue;
      }
      const status = matchChoice(part, statuses);
      if (!r.parts.status && status) {
        r.parts.status = status.toLowerCase();
        continue;
      }
      if (!r.parts.date && date && 'date' in date) {
        r.parts.date = date.date;
        continue;
      }
      r.parts.method ??= part;
    }
  },
  contact(value, field, _playbook, r) {
    const wanted = planOf(field).wanted;
    let text = value;
    // "Priya Nair <priya@x.io>" carries the email in angle brackets.
    const angle = text.includes('<') ? /<([^<>\s]+@[^<>\s]+)>/.exec(text) : null;
    if (angle && wanted.has('email')) {
      r.parts.email = angle[1]!;
      text = text.replace(angle[0], ';');
    }
    const words: string[] = [];
    // Set when the email part has been found valid already.
    let emailChecked = false;
    for (const raw of splitParts(text, true)) {
      const target = linkTarget(raw);
      const part = (target.charCodeAt(0) | 0x20) === 0x6d /* m */ ? target.replace(/^mailto:/i, '') : target;
      if (wanted.has('email') && !r.parts.email) {
        if (isEmail(part)) {
          r.parts.email = part;
          emailChecked = true;
          continue;
        }
        if (part.includes('@') && !part.includes(' ')) {
          r.parts.email = part;
          continue;
        }
      }
      const inner = part.includes('@') ? emailInText.exec(part) : null;
      if (wanted.has('email') && !r.parts.email && inner) {
        r.parts.email = inner[0];
        const rest = part
          .replace(inner[0], '')
          .replace(/[()<>]/g, '')
          .trim();
        if (rest) words.push(rest);
        continue;
      }
      if (wanted.has('phone') && !r.parts.phone && isPhone(part)) {
        r.parts.phone = part;
        continue;
      }
      words.push(part);
    }
    if (words[0] !== undefined) r.parts.name = words[0];
    if (words[1] !== undefined && wanted.has('title')) r.parts.title = words.slice(1).join('; ');
    else if (words.length > 1 && !wanted.has('title')) r.parts.name = words.join('; ');
    if (r.parts.email && !emailChecked && !isEmail(r.parts.email)) {
      r.invalid.push({ part: 'email', message: `"${r.parts.email}" is not a valid email address` });
    }
  },
};

function invalidPart(r: FieldReading, id: string): boolean {
  for (const i of r.invalid) if (i.part === id) return true;
  return false;
}

/** Reads a field's text into its parts, per the field's kind. Never throws. */
export function readField(value: string, field: PlaybookField, playbook: Playbook): FieldReading {
  const r: FieldReading = { notApplicable: false, parts: {}, missing: [], invalid: [] };
  const patterns = playbookPatterns(playbook);
  const text = value.trim();
  if (notApplicableIn(text, patterns)) {
    r.notApplicable = true;
    return r;
  }
  const placeholder = placeholderIn(text, patterns);
  if (placeholder) r.placeholder = placeholder;
  readers[field.kind](value, field, playbook, r);
  for (const id of planOf(field).required) {
    if (r.parts[id] === undefined && !invalidPart(r, id)) r.missing.push(id);
  }
  if (field.requireOneOf.length > 0 && !field.requireOneOf.some((id) => r.parts[id] !== undefined)) {
    r.missing.push(field.requireOneOf.join('|'));
  }
  if (!r.placeholder) {
    for (const id in r.parts) {
      const part = r.parts[id]!.trim();
      // A part that is the whole value has just been looked at.
      const p = part === text ? undefined : placeholderIn(part, patterns);
      if (p) {
        r.placeholder = p;
        break;
      }
    }
  }
  return r;
}

/** Human words for a part id or an either-or (`email|phone` -> `email or phone`). */
export function partLabel(field: PlaybookField, partId: string): string {
  return partId
    .split('|')
    .map((id) => field.parts.find((p) => p.id === id)?.label ?? id)
    .join(' or ');
}
