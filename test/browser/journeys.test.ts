import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { group, identify, track } from '../support/segmentCalls';
import { startTestService, TestService, WEBHOOK } from '../support/testService';
import { Browser, launchBrowser, openSignedIn, screenshot } from './browser';

/**
 * The web app's main journeys in headless Chromium against the whole service (SQLite engines): what an admin
 * and a CSM do, checked by what they would see. Waits are on DOM conditions only.
 */
describe('web app journeys (headless Chromium)', function () {
  this.timeout(90_000);
  let service: TestService;
  let browser: Browser;
  let page: Page;

  before(async () => {
    service = await startTestService();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage();
  });
  afterEach(async () => {
    await page.close();
  });

  it('signs in, shows the connection steps and the write key, and rotates it with a grace period', async () => {
    await page.goto(`${service.url}/app/`);
    await page.waitForSelector('#token');
    await screenshot(page, '01-sign-in');
    await page.fill('#token', 'adm_wrong');
    await page.click('button[type=submit]');
    await page.waitForSelector('#signin-error:has-text("not valid")');

    await openSignedIn(page, service.url, service.adminToken, '#/connect');
    await page.waitForSelector('#webhook-url');
    expect(await page.textContent('#webhook-url')).to.equal(`${service.url}/api/integrations/segment/webhook`);
    expect(await page.textContent('#write-key')).to.not.contain(service.writeKey); // masked until revealed
    await page.click('[data-action=reveal-write-key]');
    await page.waitForSelector(`#write-key:has-text("${service.writeKey}")`);
    await screenshot(page, '02-segment-setup');

    await page.selectOption('#grace-hours', '24');
    await page.click('#rotate');
    await page.waitForSelector('.alert.success:has-text("new write key")');
    await page.waitForSelector('#write-keys tbody tr:nth-child(2)');
    expect(await page.textContent('#write-keys')).to.contain('Still accepted until');
    await page.click('[data-action=reveal-write-key]');
    const newKey = (await page.textContent('#write-key'))!.trim();
    expect(newKey).to.match(/^wk_/).and.not.equal(service.writeKey);
    await screenshot(page, '03-write-key-rotated');

    // Both keys authenticate during the grace period.
    for (const key of [service.writeKey, newKey]) {
      const answer = await service.post(WEBHOOK, track(), { authorization: 'Basic ' + Buffer.from(`${key}:`).toString('base64') });
      expect(answer.status, key === newKey ? 'new key' : 'old key').to.equal(200);
    }
  });

  it('sends a test event through the webhook and watches it get stored, attributed, mapped and scored', async () => {
    await openSignedIn(page, service.url, service.adminToken, '#/test');
    await page.click('[data-sample=group]');
    await page.click('#send');
    await page.waitForSelector('#pipeline [data-step=stored].done');
    await page.waitForSelector('#pipeline [data-step=attribution].done');

    await page.click('[data-sample=track]');
    const messageId = JSON.parse(await page.inputValue('#call-json')).messageId as string;
    await page.click('#send');
    await page.waitForSelector('#pipeline [data-step=sent].done');
    await page.waitForSelector('#pipeline [data-step=attribution].done');
    await page.waitForSelector('#test-customer-link');
    await screenshot(page, '04-test-sender');

    // The call really went through the webhook: it is in the customer's event list.
    await service.settled();
    const events = (await (await service.get('/api/segment/events/acct_acme')).json()) as { events: { messageId: string }[] };
    expect(events.events.map((e) => e.messageId)).to.include(messageId);
  });

  it('shows calls in the live monitor as they arrive, with status, filters, errors and dead letters', async () => {
    await openSignedIn(page, service.url, service.adminToken, '#/monitor');
    await page.waitForSelector('#stream-state.live');

    const call = track({ userId: 'user_monitor', event: 'Dashboard Shared', context: { groupId: 'acct_acme' } });
    expect((await service.post(WEBHOOK, call)).status).to.equal(200);
    const row = `tr[data-message-id="${call.messageId}"]`;
    await page.waitForSelector(`${row}[data-status=projected]`);

    const invalid = { type: 'track', messageId: 'bad-call-1', userId: 'user_monitor' }; // no event name
    expect((await service.post(WEBHOOK, [invalid, track()])).status).to.equal(200);
    await page.waitForSelector('tr[data-message-id="bad-call-1"][data-status=failed]');
    await page.click('tr[data-message-id="bad-call-1"]');
    await page.waitForSelector('#monitor-details .alert.error:has-text("event")');
    await page.waitForSelector('#dead-letters tbody tr');
    // Retrying the letter unchanged fails again, says why, and leaves it open.
    await page.click('#dead-letters tr:has-text("bad-call-1") button[data-retry]');
    await page.waitForSelector('#dead-letter-retry .alert.warn:has-text("bad-call-1: still failing")');
    expect(await page.textContent('#dead-letter-retry')).to.contain('event');
    await page.waitForSelector('#dead-letters tr:has-text("bad-call-1") button[data-retry]:not([disabled])');

    await page.selectOption('#filter-status', 'failed');
    await page.waitForSelector(`${row}`, { state: 'detached' });
    expect(await page.locator('#monitor-table tbody tr').count()).to.equal(1);
    await screenshot(page, '05-live-monitor-failed');
    await page.selectOption('#filter-status', '');
    await page.fill('#filter-text', 'Dashboard Shared');
    await page.waitForSelector('tr[data-message-id="bad-call-1"]', { state: 'detached' });
    await page.click(row);
    await page.waitForSelector('#monitor-details .timeline li:has-text("Attributed")');
    await screenshot(page, '06-live-monitor');
  });

  it('edits a mapping with field errors from the API, saves a new version, previews and runs a replay', async () => {
    await openSignedIn(page, service.url, service.adminToken, '#/mappings');
    await page.waitForSelector('#rule-list table');
    const versionBefore = await page.textContent('#mapping-version-label');

    await page.click('#add-rule');
    await page.fill('#rule-id', 'report-exported');
    await page.fill('#rule-event', 'Report Exported');
    await page.fill('#rule-weight', '250'); // out of range: the API names the field
    await page.click('#apply-rule');
    await page.click('#save-mappings');
    await page.waitForSelector('#rule-editor .field-error:has-text("0 to 100")');
    await screenshot(page, '07-mapping-validation');

    await page.fill('#rule-weight', '20');
    await page.click('#apply-rule');
    await page.click('#save-mappings');
    await page.waitForSelector('#saved-notice');
    expect(await page.textContent('#mapping-version-label')).to.not.equal(versionBefore);
    await page.waitForSelector('tr[data-rule=report-exported]');

    await page.click('#replay-preview');
    await page.waitForSelector('#replay-preview-result .preview');
    await page.click('#replay-start');
    await page.waitForSelector('#replay-progress [data-state=completed]');
    await screenshot(page, '08-mapping-replay');
  });

  it('opens a customer with traits, events, signals, health and its history', async () => {
    await service.post(WEBHOOK, [
      identify({ userId: 'user_jane', traits: { email: 'jane@acme.com', name: 'Jane Doe' } }),
      group({ userId: 'user_jane', groupId: 'acct_acme', traits: { name: 'Acme Corp', website: 'acme.com' } }),
      ...['dashboards', 'alerts', 'exports'].map((feature) => track({ userId: 'user_jane', event: 'Feature Used', properties: { feature } })),
    ]);
    await service.settled();
    await openSignedIn(page, service.url, service.adminToken, '#/customers');
    await page.click('#customer-list a:has-text("Acme Corp")');
    await page.waitForSelector('#customer-name:has-text("Acme Corp")');
    await page.waitForSelector('#customer-events table');
    await page.waitForSelector('#customer-signals li');
    await page.waitForSelector('#segment-traits:has-text("acme.com")');
    await page.waitForSelector('#customer-stakeholders td:has-text("jane@acme.com")');
    await page.waitForSelector('#health-score');
    await page.waitForSelector('#customer-health svg.chart polyline');
    expect(Number(await page.textContent('#health-score'))).to.be.within(1, 100);
    await screenshot(page, '09-customer');
  });

  it('answers chat commands, forgiving spelling and asking which account when several match', async () => {
    await service.post(WEBHOOK, group({ userId: 'user_bob', groupId: 'acct_acme_labs', traits: { name: 'Acme Labs', website: 'acmelabs.dev' } }));
    await service.settled();
    await openSignedIn(page, service.url, service.adminToken, '#/chat');
    const ask = async (text: string) => {
      const answers = await page.locator('.bubble.bot[data-intent]').count();
      await page.fill('#chat-input', text);
      await page.click('#chat-send');
      await page.waitForSelector(`.bubble.bot[data-intent] >> nth=${answers}`);
      return page.locator('.bubble.bot[data-intent]').nth(answers);
    };
    const events = await ask('show segmnt evnts for acme corp');
    expect(await events.getAttribute('data-intent')).to.equal('show-events');
    expect(await events.textContent()).to.contain('Feature Used');

    const which = await ask('Show health for Acme');
    expect(await which.getAttribute('data-intent')).to.equal('choose-account');
    await which.locator('button.chip:has-text("Acme Corp")').click();
    await page.waitForSelector('.bubble.bot[data-intent=show-health]');
    expect(await page.locator('.bubble.bot[data-intent=show-health]').textContent()).to.match(/health \d+ of 100/);

    expect(await (await ask('Configure Segment mapping')).getAttribute('data-intent')).to.equal('configure-mapping');
    expect(await (await ask('replay status')).textContent()).to.contain('Mappings in force');
    const unknown = await ask('order me a pizza');
    expect(await unknown.textContent()).to.contain('Show Segment events for');
    await screenshot(page, '10-chat');
  });
});
