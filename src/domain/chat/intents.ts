import { editDistance, normalise } from './similarity';

/** What a chat request asks for. `account` is the text the person used for the account, as typed. */
export type ChatIntent =
  | { readonly kind: 'show-events'; readonly account: string | null }
  | { readonly kind: 'show-health'; readonly account: string | null }
  | { readonly kind: 'configure-mapping' }
  | { readonly kind: 'replay-status' }
  | { readonly kind: 'help' }
  | { readonly kind: 'unknown' };

/** What the chat understands, as the help answer lists it. */
export const CHAT_EXAMPLES = [
  'Show Segment events for Acme',
  'Show health for acme.com',
  'Configure Segment mapping',
  'Replay status',
] as const;

/** Keywords that decide the intent; a typed word within one or two edits of one counts as that keyword. */
const KEYWORDS = ['events', 'event', 'health', 'healthy', 'mapping', 'mappings', 'configure', 'replay', 'segment', 'help', 'status', 'score'];

function canonicalWord(word: string): string {
  if (word.length < 4) return word;
  const allowed = word.length >= 7 ? 2 : 1;
  let best = word;
  let bestDistance = allowed + 1;
  for (const keyword of KEYWORDS) {
    const distance = editDistance(word, keyword);
    if (distance < bestDistance) [best, bestDistance] = [keyword, distance];
  }
  return bestDistance <= allowed ? best : word;
}

/** The words after "for", "of", "about", "on" or "at": the account named in the request, as typed. */
function accountAfterMarker(original: string): string | null {
  const match = /\b(?:for|of|about|on|at|from)\s+(.+)$/i.exec(original.trim());
  if (!match) return null;
  const account = match[1]!
    .replace(/^(?:the\s+)?(?:account|customer|company)\s+/i, '')
    .replace(/[?!.]+$/, '')
    .replace(/^["'“”‘’]+|["'“”‘’]+$/g, '')
    .trim();
  return account || null;
}

/**
 * Reads what a person typed. Pure and forgiving: case, punctuation and small typos in the keywords do not
 * matter ("show segmnt evnts for acme" is the events request). The account name is kept as typed; finding the
 * account is `matchAccount`'s job.
 */
export function parseIntent(text: string): ChatIntent {
  const words = normalise(text).split(' ').filter(Boolean).map(canonicalWord);
  const has = (...keywords: string[]) => keywords.some((k) => words.includes(k));
  if (words.length === 0 || (words.length <= 4 && has('help')) || /^(what can you do|commands|\?)/.test(normalise(text))) {
    return words.length === 0 ? { kind: 'unknown' } : { kind: 'help' };
  }
  if (has('replay')) return { kind: 'replay-status' };
  if (has('mapping', 'mappings')) return { kind: 'configure-mapping' };
  if (has('health', 'healthy', 'score')) return { kind: 'show-health', account: accountAfterMarker(text) ?? healthyIsForm(text) };
  if (has('events', 'event')) return { kind: 'show-events', account: accountAfterMarker(text) };
  return { kind: 'unknown' };
}

/** "How healthy is Acme?" names the account without a marker word. */
function healthyIsForm(text: string): string | null {
  const match = /\bhealth(?:y)?\s+is\s+(.+?)[?!.]*$/i.exec(text.trim());
  return match ? match[1]!.trim() || null : null;
}
