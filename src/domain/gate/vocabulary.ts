import type { VocabularyEntry } from '../playbook/index.ts';

/** Words of a text, lower case, apostrophes dropped (`don't` -> `dont`), split into clauses at . ; ! ? */
export function clausesOf(text: string): string[][] {
  return text
    .toLowerCase()
    .replace(/['’`]/g, '')
    .split(/[.;!?\n]+(?:\s|$)|[;!?\n]/)
    .map((c) => c.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== ''))
    .filter((c) => c.length > 0);
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
  return token.options.some((o) => (o.prefix ? word.startsWith(o.word) : word === o.word));
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

/** The phrases that may start at a word; memoised per vocabulary (bounded), as words repeat across packets. */
function candidatesFor(vocabulary: CompiledVocabulary, word: string) {
  let memo = candidateMemo.get(vocabulary);
  if (!memo) {
    memo = new Map();
    candidateMemo.set(vocabulary, memo);
  }
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

/** Where a phrase that starts at `start` ends (exclusive), or -1; a `~` gap takes the shortest fit. */
function matchesAt(tokens: Token[], words: string[], start: number): number {
  const walk = (ti: number, wi: number): number => {
    if (ti === tokens.length) return wi;
    const t = tokens[ti]!;
    if (t.kind === 'gap') {
      for (let skip = 0; skip <= 3 && wi + skip <= words.length; skip++) {
        const end = walk(ti + 1, wi + skip);
        if (end >= 0) return end;
      }
      return -1;
    }
    if (wi < words.length && tokenMatches(t, words[wi]!)) return walk(ti + 1, wi + 1);
    return -1;
  };
  return walk(0, start);
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
  const hits: VocabularyHit[] = [];
  for (const words of clausesOf(text)) {
    for (let start = 0; start < words.length; start++) {
      const word = words[start]!;
      const candidates = candidatesFor(vocabulary, word);
      for (const { entry, phrase } of candidates) {
        const end = matchesAt(phrase.tokens, words, start);
        if (end <= start) continue;
        const beforeWords = words.slice(Math.max(0, start - 4), start);
        const afterWords = words.slice(end, end + 5);
        const negated =
          negations.before.some((n) => matchPhrase(n.tokens, beforeWords).length > 0) ||
          negations.after.some((n) => matchPhrase(n.tokens, afterWords).length > 0);
        hits.push({ entry, words: words.slice(start, end).join(' '), negated });
      }
    }
  }
  return hits;
}
