import type { Context } from 'koa';
import type { IngestSummary } from '../../commands/ingestSegmentCalls';
import type { Services } from '../../service';
import { authenticateSender } from './authenticateSender';
import { withinDeadline } from './deadline';
import { parseCalls, ParsedCalls } from './parseCalls';
import { readRawBody } from './readRawBody';

/** How one entry point (the webhook, the tracking API) takes Segment calls. */
export interface EntryPoint {
  readonly source: string;
  readonly maxBodyBytes: number;
  readonly maxCalls: number;
  /** The content type the body is read as (an entry point may take more than `application/json`). */
  readonly contentType?: (ctx: Context) => string;
  /** Which calls of the parsed body to ingest (default: all); throws a 4xx for a body of the wrong shape. */
  readonly callsOf?: (parsed: ParsedCalls) => readonly unknown[];
  /** Rewrites the body's size and shape errors the way this entry point's senders expect them. */
  readonly asAnswer?: (error: unknown) => unknown;
}

/**
 * The one pipeline every entry point shares: read the body (bounded), authenticate the sender (parsing the body
 * only when that needs it), parse, and ingest within Segment's deadline. Resolves once the calls are durable.
 */
export async function receiveCalls(ctx: Context, services: Services, entry: EntryPoint): Promise<IngestSummary> {
  const receivedAt = new Date();
  const asAnswer = entry.asAnswer ?? ((error: unknown) => error);
  const raw = await readRawBody(ctx, entry.maxBodyBytes).catch((error: unknown) => {
    throw asAnswer(error);
  });
  const contentType = entry.contentType?.(ctx) ?? ctx.get('content-type');
  let parsed: ParsedCalls | undefined;
  const parse = () => (parsed ??= parseCalls(raw, contentType, { maxCalls: entry.maxCalls }));
  const workspace = authenticateSender(ctx, services.workspaces, raw, parse);
  let body: ParsedCalls;
  try {
    body = parse();
  } catch (error) {
    throw asAnswer(error);
  }
  return withinDeadline(
    services.ingest({
      workspaceId: workspace._id,
      calls: entry.callsOf?.(body) ?? body.calls,
      callBytes: body.callBytes,
      receivedAt,
      correlationId: ctx.state.requestId as string,
      source: entry.source,
    }),
  );
}
