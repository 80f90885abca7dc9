/**
 * The story, namespaced by a suffix so that many runs can share one service: anonymous page view and
 * feature use, identify (anonymous to known), group, tracks with and without context.groupId, a mobile screen
 * call with no group, an alias, and Engage computed traits and audiences (user and account).
 */
export interface Story {
  readonly suffix: string;
  readonly groupId: string;
  readonly userId: string;
  readonly aliasedUserId: string;
  readonly anonymousId: string;
  readonly email: string;
  readonly personName: string;
  readonly calls: readonly Record<string, unknown>[];
}

export function story(suffix: string, start = Date.parse('2026-10-01T10:00:00.000Z')): Story {
  const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
  const anonymousId = `anon-${suffix}`;
  const userId = `user-${suffix}`;
  const aliasedUserId = `member-${suffix}`;
  const groupId = `acct-${suffix}`;
  const email = `zelda.quixote.${suffix}@acme-${suffix}.com`;
  const personName = `Zelda Quixote ${suffix}`;
  let n = 0;
  const call = (minute: number, fields: Record<string, unknown>) => ({
    messageId: `${suffix}-${String(++n).padStart(2, '0')}`,
    timestamp: at(minute),
    context: { library: { name: 'analytics.js', version: '4.1.0' } },
    ...fields,
  });
  const personas = (computationClass: string, key: string, id: string) => ({
    library: { name: 'unknown', version: 'unknown' },
    personas: { computation_class: computationClass, computation_key: key, computation_id: id, space_id: 'spa_story' },
  });
  return {
    suffix,
    groupId,
    userId,
    aliasedUserId,
    anonymousId,
    email,
    personName,
    calls: [
      call(1, { type: 'page', anonymousId, name: 'Pricing', properties: { path: '/pricing' } }),
      call(2, { type: 'track', anonymousId, event: 'Feature Used', properties: { feature: 'calculator' } }),
      call(3, { type: 'identify', anonymousId, userId, traits: { email, name: personName, title: 'VP Operations', phone: '+1 555 0100', plan: 'pro' } }),
      call(4, { type: 'group', userId, groupId, traits: { name: `Acme ${suffix}`, plan: 'enterprise', website: `https://www.acme-${suffix}.com` } }),
      call(5, { type: 'track', userId, event: 'Feature Used', properties: { feature: 'dashboards' }, context: { groupId } }),
      call(6, { type: 'track', userId, event: 'Report Exported', properties: { format: 'csv' } }),
      call(7, { type: 'screen', userId, name: 'Home', context: { device: { type: 'ios' }, os: { name: 'iOS' } } }),
      call(8, { type: 'alias', previousId: userId, userId: aliasedUserId }),
      call(9, { type: 'track', userId: aliasedUserId, event: 'Feature Used', properties: { feature: 'alerts' } }),
      call(10, { type: 'identify', userId, traits: { lifetime_value: 1200 }, integrations: { All: false }, context: personas('trait', 'lifetime_value', 'ct_ltv') }),
      call(11, {
        type: 'track',
        userId,
        event: 'Audience Entered',
        properties: { audience_key: 'power_users', power_users: true },
        integrations: { All: false },
        context: personas('audience', 'power_users', 'aud_power'),
      }),
      call(12, { type: 'group', userId, groupId, traits: { high_value_accounts: true }, integrations: { All: false }, context: personas('audience', 'high_value_accounts', 'aud_hva') }),
    ],
  };
}
