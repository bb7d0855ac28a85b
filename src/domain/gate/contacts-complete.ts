import { isEmail, isPhone, normalizeLabel, phoneDigits } from '../packet/index.ts';
import type { Playbook, PlaybookField } from '../playbook/index.ts';
import { type FieldView, fieldView, finding, quote } from './field-access.ts';
import type { GateInput, GateRule, RuleFinding } from './types.ts';

const compiled = new WeakMap<
  Playbook,
  { names: Set<string>; phones: RegExp[]; emailDomains: string[]; domainIndex: Map<string, number> }
>();
function placeholderSets(playbook: Playbook) {
  let hit = compiled.get(playbook);
  if (!hit) {
    const emailDomains = playbook.placeholders.emailDomains;
    const domainIndex = new Map<string, number>();
    emailDomains.forEach((d, i) => {
      if (!domainIndex.has(d)) domainIndex.set(d, i);
    });
    hit = {
      names: new Set(playbook.placeholders.names.map(normalizeLabel)),
      phones: playbook.placeholders.phones.map((s) => new RegExp(s)),
      emailDomains,
      domainIndex,
    };
    compiled.set(playbook, hit);
  }
  return hit;
}

/** An email at a domain reserved for examples and tests (`example.com`, `*.invalid`, `localhost`...). */
export function placeholderEmailDomain(email: string, playbook: Playbook): string | undefined {
  // What follows the last `@` (all of it without one), lower case, without a final dot.
  const after = email.slice(email.lastIndexOf('@') + 1);
  const lower = lowerCaseChanges(after) ? after.toLowerCase() : after;
  const domain = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  // The first of the playbook's domains that is the domain or ends it after a dot: the domain itself and
  // each of its tails after a dot are looked up.
  const { emailDomains, domainIndex } = placeholderSets(playbook);
  let first = domainIndex.get(domain) ?? -1;
  for (let dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
    const i = domainIndex.get(domain.slice(dot + 1));
    if (i !== undefined && (first < 0 || i < first)) first = i;
  }
  return first < 0 ? undefined : emailDomains[first];
}

/** Whether toLowerCase could change the text: it has a capital A-Z or a character beyond ASCII. */
function lowerCaseChanges(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80 || (code >= 0x41 && code <= 0x5a)) return true;
  }
  return false;
}

/** Words that make a part a job title, not a person's name ("VP Partnerships", "Chief Revenue Officer"). */
const titleWords =
  /\b(vp|svp|evp|avp|vice president|president|chief|ceo|cro|cto|cfo|coo|cmo|cpo|cio|ciso|head of|director|manager|officer|founder|co-founder|partnerships|engineer|analyst|coordinator|specialist|administrator|assistant)\b/i;

/** A part a contact needs, or an either-or of parts (`email|phone`). */
interface Needed {
  part: string;
  either: string[];
}

function checkContact(
  input: GateInput,
  view: FieldView,
  needed: Needed[],
  severity: 'fail' | 'review',
): RuleFinding[] {
  const { playbook } = input;
  const { reading, def } = view;
  const who = whoOf(def);
  if (!view.entry || !reading || reading.notApplicable) {
    return severity === 'fail'
      ? [
          finding(
            view,
            'fail',
            `the ${who} is missing: give ${needed
              .map((n) => n.part)
              .join(', ')
              .replaceAll('|', ' or ')}`,
          ),
        ]
      : [];
  }
  const out: RuleFinding[] = [];
  if (reading.placeholder)
    out.push(
      finding(
        view,
        severity,
        `the ${who} is placeholder text (${quote(reading.placeholder)}), not a real contact`,
      ),
    );
  const { names, phones } = placeholderSets(playbook);
  const parts = { ...reading.parts };
  // Name and title are told apart by position only: a lone title written where the name goes is the title.
  let readAsTitle: string | undefined;
  if (!parts.title && parts.name && def.parts.some((p) => p.id === 'title') && titleWords.test(parts.name)) {
    readAsTitle = parts.title = parts.name;
    delete parts.name;
  }
  const { name, title, email, phone } = parts;
  for (const { part, either } of needed) {
    if (either.every((p) => !parts[p])) {
      const note = part === 'name' && readAsTitle ? ` (${quote(readAsTitle)} reads as a title)` : '';
      out.push(finding(view, severity, `the ${who}'s ${either.join(' or ')} is missing${note}`));
    }
  }
  if (name && names.has(normalizeLabel(name)))
    out.push(finding(view, severity, `the ${who}'s name ${quote(name)} is a placeholder, not a person`));
  if (name && !/\p{L}/u.test(name))
    out.push(finding(view, severity, `the ${who}'s name ${quote(name)} is not a name`));
  if (title && names.has(normalizeLabel(title)))
    out.push(finding(view, severity, `the ${who}'s title ${quote(title)} is a placeholder`));
  if (email) {
    if (!isEmail(email))
      out.push(finding(view, severity, `the ${who}'s email ${quote(email)} is not a valid address`));
    else {
      const domain = placeholderEmailDomain(email, playbook);
      if (domain)
        out.push(
          finding(view, severity, `the ${who}'s email ${quote(email)} is at ${domain}, a placeholder domain`),
        );
    }
  }
  if (phone) {
    const digits = phoneDigits(phone);
    if (!isPhone(phone, digits))
      out.push(finding(view, severity, `the ${who}'s phone ${quote(phone)} is not a phone number`));
    else if (phones.some((re) => re.test(digits)))
      out.push(finding(view, severity, `the ${who}'s phone ${quote(phone)} is a placeholder number`));
  }
  return out;
}

/** A contact field as a person reads it: "Technical POC" -> "technical POC" (the words, not the acronyms). */
const whoByField = new WeakMap<PlaybookField, string>();
function whoOf(def: PlaybookField): string {
  let who = whoByField.get(def);
  if (who === undefined) {
    who = def.label.replace(/\b\p{Lu}(?=\p{Ll})/gu, (c) => c.toLowerCase());
    whoByField.set(def, who);
  }
  return who;
}

/** The playbook's contact fields, each with the parts it needs. */
const contactFields = new WeakMap<Playbook, { def: PlaybookField; needed: Needed[] }[]>();
function contactsOf(playbook: Playbook) {
  let hit = contactFields.get(playbook);
  if (!hit) {
    hit = [];
    for (const def of playbook.sections.flatMap((s) => s.fields)) {
      if (def.kind !== 'contact') continue;
      const needed = [...def.parts.filter((p) => p.required).map((p) => p.id)];
      if (def.requireOneOf.length > 0) needed.push(def.requireOneOf.join('|'));
      hit.push({ def, needed: needed.map((part) => ({ part, either: part.split('|') })) });
    }
    contactFields.set(playbook, hit);
  }
  return hit;
}

export const contactsComplete: GateRule = {
  id: 'contacts-complete',
  title: 'Contact info complete',
  run(input) {
    const out: RuleFinding[] = [];
    for (const { def, needed } of contactsOf(input.playbook)) {
      const view = fieldView(input, def.id);
      out.push(...checkContact(input, view, needed, def.required ? 'fail' : 'review'));
    }
    return out;
  },
};
