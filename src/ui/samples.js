// Sample Segment calls for the test sender: what Webhooks (Actions) delivers, with fresh ids every time.

const uid = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);

const base = (type, fields) => ({
  type,
  messageId: `test-${uid()}`,
  timestamp: new Date().toISOString(),
  context: { library: { name: 'cscx-test-sender', version: '1.0' } },
  ...fields,
});

export const SAMPLES = {
  group: {
    label: 'Group: link a user to an account',
    make: () => base('group', { userId: 'user_jane', groupId: 'acct_acme', traits: { name: 'Acme Corp', website: 'acme.com', plan: 'enterprise', employees: 250 } }),
  },
  identify: {
    label: 'Identify: a user and their traits',
    make: () => base('identify', { userId: 'user_jane', traits: { email: 'jane@acme.com', name: 'Jane Doe', title: 'VP Operations' } }),
  },
  track: {
    label: 'Track: a product event for the account',
    make: () => base('track', { userId: 'user_jane', event: 'Feature Used', properties: { feature: 'reports', format: 'pdf' }, context: { groupId: 'acct_acme', library: { name: 'cscx-test-sender', version: '1.0' } } }),
  },
  anonymousTrack: {
    label: 'Track: anonymous (will wait unresolved)',
    make: () => base('track', { anonymousId: `anon-${uid().slice(0, 8)}`, event: 'Pricing Page Viewed', properties: { plan: 'pro' } }),
  },
};
