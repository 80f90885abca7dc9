/** Lower case, accents and punctuation removed, spaces collapsed: how two spellings of one name are compared. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.@]+/g, ' ')
    .trim();
}

/**
 * Edit distance (insert, delete, substitute, and swap of two neighbours: "replya" is one edit from "replay",
 * the optimal-string-alignment form of Damerau-Levenshtein).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2]! + 1);
      current.push(best);
    }
    [beforePrevious, previous] = [previous, current];
  }
  return previous[b.length]!;
}

/** 1 for equal strings, 0 for nothing in common: edit distance relative to the longer string. */
export function levenshteinSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
}

const trigrams = (text: string): Set<string> => {
  const padded = `  ${text} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return grams;
};

/** Share of trigrams two strings have in common (Jaccard): robust to swapped words and extra words. */
export function trigramSimilarity(a: string, b: string): number {
  const x = trigrams(a);
  const y = trigrams(b);
  let shared = 0;
  for (const gram of x) if (y.has(gram)) shared++;
  const union = x.size + y.size - shared;
  return union === 0 ? 1 : shared / union;
}

/** The better of the two measures, so both typos (Levenshtein) and word-order changes (trigrams) are forgiven. */
export const similarity = (a: string, b: string): number =>
  Math.max(levenshteinSimilarity(normalise(a), normalise(b)), trigramSimilarity(normalise(a), normalise(b)));
