import type { VocabularyEntry } from '../playbook/index.ts';

// A letter or digit at a position (a whole code point), for text that is not ASCII.
const wordCharAt = /[\p{L}\p{N}]/uy;
const spaceAt = /\s/y;

/** How many UTF-16 units the letter or digit at `i` takes (1 or 2), or 0 when it is not one. */
function wordCharLength(text: string, i: number, code: number): number {
  if (code < 0x80) {
    // After lower-casing, ASCII letters are a-z; digits 0-9.
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a)
      ? 1
      : 0;
  }
  wordCharAt.lastIndex = i;
  if (!wordCharAt.test(text)) return 0;
  return wordCharAt.lastIndex - i;
}

function isSpaceAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  spaceAt.lastIndex = i;
  return spaceAt.test(text);
}

/**
 * Words of a text, lower case, apostrophes dropped (`don't` -> `dont`), split into clauses at . ; ! ?
 * That is: the text split on /[.;!?\n]+(?:\s|$)|[;!?\n]/, each clause split on /[^\p{L}\p{N}]+/u, empty
 * words and clauses dropped. The separators are never letters, so a clause ends between two words when
 * the gap between them has one: a `;`, `!`, `?` or line break, or a run of `.` followed by a space (or
 * by the end of the text).
 */
export function clausesOf(text: string): string[][] {
  const t = text.toLowerCase().replace(/['’`]/g, '');
  const clauses: string[][] = [];
  let words: string[] = [];
  let boundary = false;
  const n = t.length;
  let i = 0;
  while (i < n) {
    const code = t.charCodeAt(i);
    let length = wordCharLength(t, i, code);
    if (length > 0) {
      const start = i;
      do {
        i += length;
        length = i < n ? wordCharLength(t, i, t.charCodeAt(i)) : 0;
      } while (length > 0);
      if (boundary && words.length > 0) {
        clauses.push(words);
        words = [];
      }
      boundary = false;
      words.push(t.slice(start, i));
      continue;
    }
    if (code === 0x3b || code === 0x21 || code === 0x3f || code === 0x0a) boundary = true;
    else if (code === 0x2e) {
      // A run of dots (`;!?` and line breaks in it end the clause anyway) then a space or the end.
      let j = i + 1;
      while (j < n && t.charCodeAt(j) === 0x2e) j++;
      if (j === n || isSpaceAt(t, j)) boundary = true;
      i = j;
      continue;
    }
    i++;
  }
  if (words.length > 0) clauses.push(words);
  return clauses;
}

type Token = { kind: 'gap' } | { kind: 'words'; options: { word: string; prefix: boolean }[] };

/** A compiled phrase: words (`a|b` alternatives, `word*` prefixes) and `~` gaps of up to 3 words. */
export function compilePhrase(phrase: string): Token[] {
  return phrase
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/\s+/)
    .filter((t) => t !== '')
    .flatMap((t): Token[] => {
      if (t === '~') return [{ kind: 'gap' }];
      // A `-` inside a word splits it, as the text's words are split.
      const parts = t.split('-');
      if (parts.length > 1 && !t.includes('|')) {
        return parts.map((p) => ({
          kind: 'words' as const,
          options: [{ word: p.replace(/\*$/, ''), prefix: p.endsWith('*') }],
        }));
      }
      return [
        {
          kind: 'words',
          options: t.split('|').map((o) => ({ word: o.replace(/\*$/, ''), prefix: o.endsWith('*') })),
        },
      ];
    });
}

function tokenMatches(token: Extract<Token, { kind: 'words' }>, word: string): boolean {
  for (const o of token.options) if (o.prefix ? word.startsWith(o.word) : word === o.word) return true;
  return false;
}

/** Where a compiled phrase matches in a clause's words: [start, end) of each match. */
export function matchPhrase(tokens: Token[], words: string[]): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < words.length; start++) {
    const end = matchesAt(tokens, words, start);
    if (end > start) out.push([start, end]);
  }
  return out;
}

type CompiledPhrase = { phrase: string; tokens: Token[] };

export interface CompiledVocabulary {
  entries: { entry: VocabularyEntry; phrases: CompiledPhrase[] }[];
  /** Phrases by their first word, for phrases whose first token is exact words. */
  byFirstWord: Map<string, { entry: VocabularyEntry; phrase: CompiledPhrase }[]>;
  /** Phrases whose first token has a prefix (`implement*`), tried on every word. */
  byPrefix: { prefixes: string[]; entry: VocabularyEntry; phrase: CompiledPhrase }[];
}

export function compileVocabulary(entries: VocabularyEntry[]): CompiledVocabulary {
  const compiled = entries.map((entry) => ({
    entry,
    phrases: entry.phrases.map((phrase) => ({ phrase, tokens: compilePhrase(phrase) })),
  }));
  const byFirstWord: CompiledVocabulary['byFirstWord'] = new Map();
  const byPrefix: CompiledVocabulary['byPrefix'] = [];
  for (const { entry, phrases } of compiled) {
    for (const phrase of phrases) {
      const first = phrase.tokens[0];
      if (first?.kind !== 'words') continue;
      if (first.options.some((o) => o.prefix)) {
        byPrefix.push({ prefixes: first.options.map((o) => o.word), entry, phrase });
        continue;
      }
      for (const o of first.options) {
        const list = byFirstWord.get(o.word) ?? [];
        list.push({ entry, phrase });
        byFirstWord.set(o.word, list);
      }
    }
  }
  return { entries: compiled, byFirstWord, byPrefix };
}

export interface VocabularyHit {
  entry: VocabularyEntry;
  /** The words of the text that matched. */
  words: string;
  negated: boolean;
}

const candidateMemo = new WeakMap<
  CompiledVocabulary,
  Map<string, { entry: VocabularyEntry; phrase: CompiledPhrase }[]>
>();

type Candidates = Map<string, { entry: VocabularyEntry; phrase: CompiledPhrase }[]>;

function candidateMemoOf(vocabulary: CompiledVocabulary): Candidates {
  let memo = candidateMemo.get(vocabulary);
  if (!memo) {
    memo = new Map();
    candidateMemo.set(vocabulary, memo);
  }
  return memo;
}

/** The phrases that may start at a word; memoised per vocabulary (bounded), as words repeat across packets. */
function candidatesFor(vocabulary: CompiledVocabulary, memo: Candidates, word: string) {
  let hit = memo.get(word);
  if (!hit) {
    hit = [
      ...(vocabulary.byFirstWord.get(word) ?? []),
      ...vocabulary.byPrefix.filter((p) => p.prefixes.some((prefix) => word.startsWith(prefix))),
    ];
    if (memo.size > 20000) memo.clear();
    memo.set(word, hit);
  }
  return hit;
}

/**
 * Where a phrase that starts at `start` ends (exclusive), or -1; a `~` gap takes the shortest fit. Only
 * the words before `limit` are looked at (as if the clause ended there).
 */
function matchesAt(tokens: Token[], words: string[], start: number, limit = words.length): number {
  return walk(tokens, words, 0, start, limit);
}

function walk(tokens: Token[], words: string[], ti: number, wi: number, limit: number): number {
  if (ti === tokens.length) return wi;
  const t = tokens[ti]!;
  if (t.kind === 'gap') {
    for (let skip = 0; skip <= 3 && wi + skip <= limit; skip++) {
      const end = walk(tokens, words, ti + 1, wi + skip, limit);
      if (end >= 0) return end;
    }
    return -1;
  }
  if (wi < limit && tokenMatches(t, words[wi]!)) return walk(tokens, words, ti + 1, wi + 1, limit);
  return -1;
}

/** Whether a phrase matches somewhere in words[from, to), as `matchPhrase` on that slice finds it. */
function matchesWithin(tokens: Token[], words: string[], from: number, to: number): boolean {
  for (let start = from; start < to; start++) if (matchesAt(tokens, words, start, to) > start) return true;
  return false;
}

/**
 * Finds the vocabulary's entries named in a text, on whole words and phrases. A hit preceded (within 4 words
 * of its clause) by a negation, or followed (within 5) by an exclusion phrase, is marked `negated`.
 */
export function findVocabulary(
  text: string,
  vocabulary: CompiledVocabulary,
  negations: { before: CompiledPhrase[]; after: CompiledPhrase[] },
): VocabularyHit[] {
  return findVocabularyIn(clausesOf(text), vocabulary, negations);
}

/** `findVocabulary` on a text's clauses (`clausesOf`). */
export function findVocabularyIn(
  clauses: string[][],
  vocabulary: CompiledVocabulary,
  negations: { before: CompiledPhrase[]; after: CompiledPhrase[] },
): VocabularyHit[] {
  const hits: VocabularyHit[] = [];
  const memo = candidateMemoOf(vocabulary);
  for (const words of clauses) {
    for (let start = 0; start < words.length; start++) {
      const word = words[start]!;
      const candidates = candidatesFor(vocabulary, memo, word);
      for (const { entry, phrase } of candidates) {
        const end = matchesAt(phrase.tokens, words, start);
        if (end <= start) continue;
        const beforeFrom = Math.max(0, start - 4);
        const afterTo = Math.min(words.length, end + 5);
        const negated =
          negations.before.some((n) => matchesWithin(n.tokens, words, beforeFrom, start)) ||
          negations.after.some((n) => matchesWithin(n.tokens, words, end, afterTo));
        hits.push({ entry, words: words.slice(start, end).join(' '), negated });
      }
    }
  }
  return hits;
}

/** Whether a text's clauses name any of the vocabulary's entries (`findVocabularyIn(...).length > 0`). */
export function namesVocabulary(clauses: string[][], vocabulary: CompiledVocabulary): boolean {
  const memo = candidateMemoOf(vocabulary);
  for (const words of clauses) {
    for (let start = 0; start < words.length; start++) {
      for (const { phrase } of candidatesFor(vocabulary, memo, words[start]!)) {
        if (matchesAt(phrase.tokens, words, start) > start) return true;
      }
    }
  }
  return false;
}
