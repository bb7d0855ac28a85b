import { findDate, monthNumber } from '../packet/index.ts';

/** What a promise is about: when discovery happens, or when the findings are delivered. */
export type PromiseSubject = 'discovery' | 'readout';
/** What a relative promise counts from. `none`: the text does not say. */
export type PromiseAnchor = 'discovery' | 'sow' | 'payment' | 'submission' | 'acknowledgement' | 'none';

export type TimelinePromise =
  | { subject: PromiseSubject; kind: 'date'; date: string; text: string }
  | {
      subject: PromiseSubject;
      kind: 'duration';
      amount: number;
      unit: 'business-days' | 'days' | 'weeks' | 'months';
      anchor: PromiseAnchor;
      text: string;
    };

const numberWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  few: 3,
  couple: 2,
};

const durationPattern =
  /\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)(?:\s*(?:-|to)\s*(\d+))?\s*(business|working|calendar)?[\s-]*(day|week|month|fortnight)s?\b/gi;
const endOfMonthPattern =
  /\b(end|mid(?:dle)?|beginning|start|early|late)[\s-]+(?:of\s+)?(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?:,?\s+(\d{4}))?/gi;

const discoveryWords = /\b(discovery|kick-?off|kick off|first (session|meeting|workshop)|onboarding call)\b/i;
const readoutWords =
  /\b(read-?out|read out|findings|report|results|deliver(y|ed|ables?)?|final|recommendations?|roadmap|presentation|complete[ds]?|completion|done|finish(ed)?|wrap(ped)? up|assessment)\b/i;

function anchorOf(after: string): PromiseAnchor {
  const m =
    /^\s*(?:of|after|from|following|post|since|once)\s+(?:the\s+|our\s+|their\s+|a\s+)?([\s\S]{0,40})/i.exec(
      after,
    );
  if (!m) return 'none';
  const words = m[1]!.toLowerCase();
  if (/^(discovery|kick-?off|kick off|first (session|meeting)|the session|session)/.test(words))
    return 'discovery';
  if (/^(sow|signing|signature|signed|contract|execution|executed|close|closing|the deal|deal)/.test(words))
    return 'sow';
  if (/^(payment|paid|invoice)/.test(words)) return 'payment';
  if (/^(acknowledg|ack\b)/.test(words)) return 'acknowledgement';
  if (/^(handoff|hand-off|today|now|this|submission)/.test(words)) return 'submission';
  return 'none';
}

const lastDiscovery = new RegExp(`${discoveryWords.source}(?![\\s\\S]*${discoveryWords.source})`, 'i');
const lastReadout = new RegExp(`${readoutWords.source}(?![\\s\\S]*${readoutWords.source})`, 'i');

function subjectOf(before: string, fallback: PromiseSubject): PromiseSubject {
  // The nearest subject word before the time expression decides.
  const d = before.search(lastDiscovery);
  const r = before.search(lastReadout);
  if (d < 0 && r < 0) return fallback;
  return d > r ? 'discovery' : 'readout';
}

/** `[...text.matchAll(re)]` for a global expression without the `u` flag, without matchAll's copy of it. */
function allMatches(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m);
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

interface Hit {
  index: number;
  end: number;
  make(subject: PromiseSubject, anchor: PromiseAnchor): TimelinePromise | undefined;
}

/**
 * Reads the promises in a free-text delivery timeline: dates ("readout by 2026-06-12", "discovery on May 19",
 * "by end of June") and durations ("within 3 weeks of the discovery session", "10 business days after
 * kickoff"), each with its subject (discovery or readout) and, for durations, what it counts from.
 */
export function readTimelinePromises(text: string, options: { defaultYear: number }): TimelinePromise[] {
  const hits: Hit[] = [];
  const taken: [number, number][] = [];
  const overlaps = (a: number, b: number) => taken.some(([s, e]) => a < e && b > s);

  for (const m of allMatches(endOfMonthPattern, text)) {
    const month = monthNumber(m[2]!)!;
    const year = m[3] ? Number(m[3]) : options.defaultYear;
    const which = m[1]!.toLowerCase();
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const day =
      which === 'end' || which === 'late'
        ? lastDay
        : which.startsWith('mid')
          ? 15
          : which === 'early'
            ? 10
            : 1;
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    taken.push([m.index, m.index + m[0].length]);
    hits.push({
      index: m.index,
      end: m.index + m[0].length,
      make: (subject) => ({ subject, kind: 'date', date, text: m[0] }),
    });
  }
  let offset = 0;
  while (offset < text.length) {
    const found = findDate(text.slice(offset), options.defaultYear);
    if (!found || found.index === undefined) break;
    const index = offset + found.index;
    const end = index + (found.length ?? 1);
    offset = end;
    if (!('date' in found) || overlaps(index, end)) continue;
    taken.push([index, end]);
    const date = found.date;
    hits.push({
      index,
      end,
      make: (subject) => ({ subject, kind: 'date', date, text: text.slice(index, end) }),
    });
  }
  for (const m of allMatches(durationPattern, text)) {
    const index = m.index;
    const end = index + m[0].length;
    if (overlaps(index, end)) continue;
    const first = m[1]!.toLowerCase();
    const low = /^\d+$/.test(first) ? Number(first) : numberWords[first];
    if (low === undefined) continue;
    // "2-3 weeks" promises the later end of the range.
    const amount = m[2] ? Number(m[2]) : low;
    const unitWord = m[4]!.toLowerCase();
    const unit =
      unitWord === 'fortnight'
        ? 'weeks'
        : unitWord === 'day'
          ? m[3] && !/calendar/i.test(m[3])
            ? 'business-days'
            : 'days'
          : `${unitWord}s`;
    const total = unitWord === 'fortnight' ? amount * 2 : amount;
    taken.push([index, end]);
    hits.push({
      index,
      end,
      make: (subject, anchor) => ({
        subject,
        kind: 'duration',
        amount: total,
        unit: unit as 'business-days' | 'days' | 'weeks' | 'months',
        anchor,
        text: text
          .slice(
            index,
            end +
              (anchor === 'none'
                ? 0
                : (/^\s*\w+\s+(?:the\s+)?[\w-]+(?:\s+session)?/.exec(text.slice(end))?.[0].length ?? 0)),
          )
          .trim(),
      }),
    });
  }
  hits.sort((a, b) => a.index - b.index);
  const promises: TimelinePromise[] = [];
  let clauseStart = 0;
  let previousSubject: PromiseSubject = 'readout';
  hits.forEach((hit, i) => {
    // A clause runs from the previous hit (or `;` / sentence end) to this one.
    const before = text.slice(Math.max(clauseStart, i > 0 ? hits[i - 1]!.end : 0), hit.index);
    const boundary = Math.max(before.lastIndexOf(';'), before.search(/\.\s[^.]*$/), before.lastIndexOf('\n'));
    const lead = boundary >= 0 ? before.slice(boundary + 1) : before;
    const anchorText = text.slice(hit.end, hit.end + 60);
    const anchor = anchorOf(anchorText);
    let subject = subjectOf(lead, boundary >= 0 || i === 0 ? 'readout' : previousSubject);
    // "within 3 weeks of the discovery session": the anchor is not the subject.
    if (anchor === 'discovery' && subject === 'discovery' && !discoveryWords.test(lead)) subject = 'readout';
    const promise = hit.make(subject, anchor);
    if (promise) promises.push(promise);
    previousSubject = subject;
    clauseStart = hit.end;
  });
  return promises;
}
