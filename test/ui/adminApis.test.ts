import { expect } from 'chai';
import { track } from '../support/segmentCalls';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';

const basic = (key: string) => ({ authorization: 'Basic ' + Buffer.from(`${key}:`).toString('base64') });

for (const readEngine of readEngines()) {
  describe(`web app APIs (${readEngine})`, () => {
    let service: TestService;
    before(async () => {
      service = await startTestService({ readEngine });
    });
    after(async () => service.close());

    const admin = (path: string, body: unknown) =>
      service.post(path, body, { authorization: `Bearer ${service.adminToken}` });

    it('rotating the write key keeps the old one working for the grace period only', async () => {
      const zero = (await (await admin('/api/workspace/write-keys/rotate', { graceHours: 0 })).json()) as { writeKey: string };
      expect((await service.post(WEBHOOK, track(), basic(service.writeKey))).status, 'old key, no grace').to.equal(401);
      const rotated = (await (await admin('/api/workspace/write-keys/rotate', { graceHours: 2 })).json()) as {
        writeKey: string;
        writeKeys: { key: string; status: string }[];
      };
      expect(rotated.writeKey).to.not.equal(zero.writeKey);
      expect(rotated.writeKeys.find((k) => k.key === zero.writeKey)?.status).to.equal('retiring');
      for (const key of [zero.writeKey, rotated.writeKey]) expect((await service.post(WEBHOOK, track(), basic(key))).status).to.equal(200);
    });

    it('names the field when a rotation or chat request is wrong', async () => {
      const bad = await admin('/api/workspace/write-keys/rotate', { graceHours: 10_000 });
      expect(bad.status).to.equal(400);
      expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]!.path).to.equal('graceHours');
      const chat = await admin('/api/chat/command', { text: 42 });
      expect(chat.status).to.equal(400);
      expect(((await chat.json()) as { errors: { path: string }[] }).errors[0]!.path).to.equal('text');
    });

    it('streams calls to the monitor only with a valid token, and serves the app with types and revalidation', async () => {
      expect((await fetch(`${service.url}/api/monitor/stream?token=nope`)).status).to.equal(401);
      const aborter = new AbortController();
      const stream = await fetch(`${service.url}/api/monitor/stream?token=${service.adminToken}`, { signal: aborter.signal });
      expect(stream.headers.get('content-type')).to.match(/^text\/event-stream/);
      const reader = stream.body!.getReader();
      const { writeKey } = (await (await service.get('/api/workspace')).json()) as { writeKey: string };
      const call = track();
      const seen = (async () => {
        let text = '';
        while (!text.includes(`"stage":"stored"`) || !text.includes(call.messageId)) {
          const chunk = await reader.read();
          if (chunk.done) expect.fail(`the stream ended before the call was stored: ${text}`);
          text += new TextDecoder().decode(chunk.value);
        }
        return text;
      })();
      expect((await service.post(WEBHOOK, call, basic(writeKey))).status).to.equal(200);
      expect(await seen).to.contain('event: hello');
      aborter.abort();

      const page = await fetch(`${service.url}/app/`);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      expect(page.headers.get('content-security-policy')).to.contain("default-src 'self'");
      const script = await fetch(`${service.url}/app/app.js`);
      expect(script.headers.get('content-type')).to.match(/^text\/javascript/);
      const again = await fetch(`${service.url}/app/app.js`, { headers: { 'if-none-match': script.headers.get('etag')! } });
      expect(again.status).to.equal(304);
      expect((await fetch(`${service.url}/app/..%2fpackage.json`)).status).to.equal(404);
    });

    it('tells the monitor a rejected call is listed as a dead letter only once the dead-letter list has it', async () => {
      const { writeKey } = (await (await service.get('/api/workspace')).json()) as { writeKey: string; id: string };
      const workspaceId = service.services.workspaces.byWriteKey(writeKey)!._id;
      const listedWhenHeard = new Promise<string[]>((resolve, reject) => {
        const stop = service.services.live.feed.subscribe(workspaceId, (event) => {
          if (event.stage !== 'projected' || event.projection !== 'rejected-calls' || event.messageId !== 'monitor-bad-1') return;
          stop();
          service
            .get('/api/integrations/segment/dlq?limit=50')
            .then((r) => r.json() as Promise<{ deadLetters: { messageId: string }[] }>)
            .then(({ deadLetters }) => resolve(deadLetters.map((l) => l.messageId)), reject);
        });
      });
      const answer = await service.post(WEBHOOK, [{ type: 'track', messageId: 'monitor-bad-1', userId: 'u' }, track()], basic(writeKey));
      expect(answer.status).to.equal(200);
      expect(await listedWhenHeard).to.include('monitor-bad-1');
    });
  });
}
