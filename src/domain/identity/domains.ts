/**
 * Company domains: normalising what people type or Segment sends (`https://www.Acme.com/pricing`, `acme.com`,
 * an email address) to one comparable form, and telling free-mail providers apart from companies.
 */

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** `https://www.Acme.com:443/x` → `acme.com`; undefined when it is not a domain name. */
export function normaliseDomain(input: string): string | undefined {
  let text = input.trim().toLowerCase();
  if (!text) return undefined;
  if (text.includes('@')) text = text.slice(text.lastIndexOf('@') + 1);
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  text = text.split(/[/?#]/, 1)[0]!.replace(/:\d+$/, '').replace(/\.$/, '');
  if (text.startsWith('www.')) text = text.slice(4);
  return DOMAIN.test(text) ? text : undefined;
}

/** The domain part of an email address, normalised; undefined for anything that is not an address. */
export function emailDomain(email: unknown): string | undefined {
  if (typeof email !== 'string') return undefined;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return undefined;
  return normaliseDomain(email.slice(at + 1));
}

/**
 * The domains to look a customer up by, most specific first: `eu.app.acme.com`, `app.acme.com`, `acme.com`.
 * Stops at two labels, so `co.uk` alone is never a candidate.
 */
export function domainCandidates(domain: string): string[] {
  const labels = domain.split('.');
  const candidates: string[] = [];
  for (let i = 0; labels.length - i >= 2; i++) candidates.push(labels.slice(i).join('.'));
  return candidates;
}

/** The domains a group call's traits name: `website`, `domain`, `domains` (a string or a list). */
export function groupTraitDomains(traits: Readonly<Record<string, unknown>> | undefined): string[] {
  if (!traits) return [];
  const raw: unknown[] = [traits.website, traits.domain];
  if (Array.isArray(traits.domains)) raw.push(...traits.domains);
  else raw.push(traits.domains);
  const found = raw.filter((v): v is string => typeof v === 'string').map(normaliseDomain);
  return [...new Set(found.filter((d): d is string => d !== undefined))];
}

/** Consumer mailbox providers: a person's address there says nothing about their employer. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'ymail.com', 'hotmail.com', 'hotmail.co.uk',
  'hotmail.fr', 'outlook.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me',
  'protonmail.com', 'pm.me', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.com', 'yandex.ru',
  'mail.ru', 'qq.com', '163.com', '126.com', 'zoho.com', 'fastmail.com', 'hey.com', 'tutanota.com', 'tuta.io',
  'aim.com', 'inbox.com', 'rocketmail.com', 'orange.fr', 'free.fr', 'laposte.net', 't-online.de', 'libero.it',
  'naver.com', 'rediffmail.com',
]);

export const isFreeMailDomain = (domain: string): boolean => FREE_MAIL_DOMAINS.has(domain);
