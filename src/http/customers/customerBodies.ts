import * as t from 'io-ts';
import { normaliseDomain } from '../../domain/identity/domains';
import { Identifier, NonEmptyString } from '../../domain/segment/primitives';
import { invalidField } from '../decodeBody';

/** Customer ids appear in stream names; `grp_` is reserved for customers created from Segment groups. */
const CUSTOMER_ID = /^(?!grp_)[A-Za-z0-9_-]{1,64}$/;

export const CustomerId = new t.Type<string, string, unknown>(
  'CustomerId',
  (u): u is string => typeof u === 'string' && CUSTOMER_ID.test(u),
  (u, c) =>
    typeof u === 'string' && CUSTOMER_ID.test(u)
      ? t.success(u)
      : t.failure(u, c, 'expected 1-64 letters, digits, "_" or "-", not starting with "grp_"'),
  t.identity,
);

export const RegisterCustomerBody = t.intersection([
  t.type({ name: NonEmptyString }),
  t.partial({
    id: CustomerId,
    domains: t.array(t.string),
    groupIds: t.array(Identifier),
    externalIds: t.record(t.string, t.string),
  }),
]);

export const LinkGroupBody = t.type({ groupId: Identifier });

export const SettingsBody = t.exact(
  t.partial({ autoCreateCustomers: t.boolean, matchEmailDomains: t.boolean, matchFreeMailDomains: t.boolean }),
);

/** Normalised, de-duplicated domains; a value that is not a domain is a 400 naming its index. */
export function domainsOf(input: readonly string[] | undefined, path = 'domains'): string[] {
  const domains: string[] = [];
  (input ?? []).forEach((raw, index) => {
    const domain = normaliseDomain(raw);
    if (!domain) throw invalidField(`${path}.${index}`, `expected a domain name such as acme.com, got ${JSON.stringify(raw)}`);
    if (!domains.includes(domain)) domains.push(domain);
  });
  return domains;
}
