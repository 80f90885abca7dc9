import type Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import * as t from 'io-ts';
import {
  changeSignalMappings,
  currentMappings,
  mappingHistory,
  MappingsConflictError,
} from '../../commands/mappings/changeSignalMappings';
import { MappingSetInput, semanticErrorsOf } from '../../domain/signals/mappingRules';
import type { Services } from '../../service';
import { mask } from '../../workspaces/secrets';
import { decodeBody } from '../decodeBody';
import { HttpError } from '../httpError';
import { parseLimit } from '../read/cursor';
import { ingestionStatistics } from './ingestionStatistics';
import { workspaceOf } from '../middleware/adminAuth';

const WEBHOOK_PATH = '/api/integrations/segment/webhook';

/** The body may name the version it was edited from: a save over someone else's newer version is refused. */
const PutMappingsBody = t.intersection([MappingSetInput, t.partial({ expectedVersion: t.number })]);

/** Segment connection details, the mapping rules and their history. Behind the admin token. */
export function mountMappingRoutes(router: Router, services: Services): void {
  router.get('/api/integrations/segment/config', async (ctx) => {
    const workspace = workspaceOf(ctx);
    const webhookUrl = `${services.config.publicUrl ?? `${ctx.protocol}://${ctx.host}`}${WEBHOOK_PATH}`;
    const mappings = await currentMappings(services.eventStore, workspace._id);
    const writeKey = workspace.writeKeys[0]?.key;
    ctx.body = {
      workspace: { id: workspace._id, name: workspace.name },
      connection: {
        webhookUrl,
        method: 'POST',
        writeKey: writeKey ? mask(writeKey) : null,
        authentication: [
          'HTTP Basic: the write key as user name, empty password (Authorization: Basic base64("<writeKey>:"))',
          'or X-Signature: hex HMAC-SHA1 of the body with the shared secret (Segment Webhooks shared secret)',
        ],
        batching: 'supported: a JSON array of up to 4,000 calls, or {"batch": [...]}',
      },
      setup: setupSteps(webhookUrl),
      mappings: { version: mappings.version, changedBy: mappings.changedBy, changedAt: mappings.changedAt, rules: mappings.rules },
      statistics: await ingestionStatistics(services, workspace._id),
    };
  });

  router.get('/api/integrations/segment/mappings', async (ctx) => {
    const mappings = await currentMappings(services.eventStore, workspaceOf(ctx)._id);
    ctx.body = { version: mappings.version, changedBy: mappings.changedBy, changedAt: mappings.changedAt, rules: mappings.rules };
  });

  router.put('/api/integrations/segment/mappings', bodyParser({ enableTypes: ['json'], jsonLimit: '1mb', strict: true }), async (ctx) => {
    const body = decodeBody(PutMappingsBody, ctx.request.body);
    const semantic = semanticErrorsOf(body);
    if (semantic.length > 0) {
      throw new HttpError(400, 'invalid_body', `${semantic[0]!.path}: ${semantic[0]!.message}`, { errors: semantic });
    }
    try {
      const saved = await changeSignalMappings(services.eventStore, {
        workspaceId: workspaceOf(ctx)._id,
        input: body,
        changedBy: 'workspace-admin',
        correlationId: String(ctx.state.requestId),
        expectedVersion: body.expectedVersion,
      });
      ctx.body = {
        version: saved.version,
        previousVersion: saved.previousVersion,
        changedBy: saved.changedBy,
        changedAt: saved.changedAt,
        rules: saved.rules,
        note: 'New events are mapped with these rules now; POST /api/admin/replay re-reads the history under them.',
      };
    } catch (error) {
      if (error instanceof MappingsConflictError) {
        throw new HttpError(409, 'mappings_conflict', `${error.message}; reload the mappings and apply your change again`, {
          path: 'expectedVersion',
        });
      }
      throw error;
    }
  });

  router.get('/api/integrations/segment/mappings/history', async (ctx) => {
    const limit = parseLimit(ctx.query.limit, 20, 200);
    const history = await mappingHistory(services.eventStore, workspaceOf(ctx)._id, limit);
    ctx.body = {
      versions: history.map((h) => ({ version: h.version, changedBy: h.changedBy, changedAt: h.changedAt, reason: h.reason, rules: h.rules })),
    };
  });
}

const setupSteps = (webhookUrl: string) => [
  'In Segment, open Connections > Destinations > Add Destination and choose "Webhooks (Actions)".',
  `Add a mapping "Send" with URL ${webhookUrl} and method POST.`,
  'Add the header Authorization: Basic <base64 of "<write key>:">, or set the shared secret under Settings so Segment signs each request (X-Signature).',
  'Optionally enable batching (up to 4,000 events per request): CSCX.AI accepts arrays.',
  'Send a test event from the mapping screen, then check GET /api/segment/events/<account> or the event monitor.',
  'Track calls become signals through the mapping rules below (PUT /api/integrations/segment/mappings to change them).',
];
