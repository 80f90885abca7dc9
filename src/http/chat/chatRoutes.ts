import type Router from '@koa/router';
import * as t from 'io-ts';
import bodyParser from 'koa-bodyparser';
import { parseIntent } from '../../domain/chat/intents';
import type { Services } from '../../service';
import { decodeBody, invalidField } from '../decodeBody';
import { answerChat } from './chatAnswers';
import { workspaceOf } from '../middleware/adminAuth';

const ChatCommand = t.strict({ text: t.string });
const MAX_TEXT = 500;

/** `POST /api/chat/command {text}`: plain-language requests about accounts, mappings and replays. Admin token. */
export function mountChatRoutes(router: Router, services: Services): void {
  router.post('/api/chat/command', bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' }), async (ctx) => {
    const { text } = decodeBody(ChatCommand, ctx.request.body);
    if (text.length > MAX_TEXT) throw invalidField('text', `at most ${MAX_TEXT} characters`);
    ctx.body = await answerChat(services, workspaceOf(ctx)._id, parseIntent(text));
  });
}
