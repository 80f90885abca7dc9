import { normalise, similarity } from './similarity';

export interface AccountCandidate {
  readonly id: string;
  readonly name: string | null;
  readonly domains: readonly string[];
  readonly groupIds: readonly string[];
}

export interface ScoredAccount<A extends AccountCandidate> {
  readonly account: A;
  readonly score: number;
}

export type AccountMatch<A extends AccountCandidate> =
  | { readonly kind: 'one'; readonly account: A }
  | { readonly kind: 'several'; readonly accounts: readonly A[] }
  | { readonly kind: 'none' };

/** Below this, a name is not taken for the one asked about. */
const MIN_SCORE = 0.55;
/** A best match this far ahead of the next is taken without asking. */
const CLEAR_LEAD = 0.15;
const MAX_CHOICES = 5;

/** Names an account is known by: its name, its domains (and their first label: "acme" for acme.com), its ids. */
function namesOf(account: AccountCandidate): string[] {
  return [account.name ?? '', ...account.domains, account.id, ...account.groupIds].filter(Boolean);
}

const domainLabels = (account: AccountCandidate) => account.domains.map((d) => d.replace(/^www\./, '').split('.')[0] ?? d);

const scoreOf = (query: string, account: AccountCandidate): number => {
  const names = [...namesOf(account), ...domainLabels(account)];
  return Math.max(0, ...names.map((name) => similarity(query, name)), ...names.map((name) => similarity(query, stripCompanySuffix(name))));
};

/** "Acme Corp", "Acme, Inc." and "Acme" name one company. */
const stripCompanySuffix = (name: string) =>
  normalise(name).replace(/\b(inc|corp|corporation|ltd|llc|gmbh|co|company|sa|ag|plc)\b\.?/g, '').trim();

/**
 * Finds the account a person meant by a name or domain, forgiving spelling. An exact name, domain or id wins;
 * otherwise the best match wins when it is clearly ahead; when several are close, all of them are returned so
 * the person can say which.
 */
export function matchAccount<A extends AccountCandidate>(query: string, accounts: readonly A[]): AccountMatch<A> {
  const wanted = normalise(query);
  if (!wanted) return { kind: 'none' };
  const exact = accounts.filter((a) => namesOf(a).some((name) => normalise(name) === wanted));
  if (exact.length === 1) return { kind: 'one', account: exact[0]! };
  if (exact.length > 1) return { kind: 'several', accounts: exact.slice(0, MAX_CHOICES) };
  // "Acme" when there are "Acme Corp" and "Acme Labs": both names hold the words asked for, so ask which.
  const holdingWords = accounts.filter((a) =>
    [...namesOf(a), ...domainLabels(a)].some((name) => holdsWords(normalise(name), wanted)),
  );
  if (holdingWords.length > 1) return { kind: 'several', accounts: holdingWords.slice(0, MAX_CHOICES) };

  const ranked = rankAccounts(wanted, accounts).filter((s) => s.score >= MIN_SCORE);
  if (ranked.length === 0) return { kind: 'none' };
  const [best, second] = ranked;
  if (!second || best!.score - second.score >= CLEAR_LEAD) return { kind: 'one', account: best!.account };
  return { kind: 'several', accounts: ranked.filter((s) => best!.score - s.score < CLEAR_LEAD).slice(0, MAX_CHOICES).map((s) => s.account) };
}

const holdsWords = (name: string, wanted: string) => {
  const words = name.split(' ');
  return wanted.split(' ').every((w) => words.includes(w));
};

export function rankAccounts<A extends AccountCandidate>(query: string, accounts: readonly A[]): ScoredAccount<A>[] {
  return accounts
    .map((account) => ({ account, score: scoreOf(query, account) }))
    .sort((x, y) => y.score - x.score || String(x.account.name).localeCompare(String(y.account.name)));
}
