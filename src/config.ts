import { resolve } from 'node:path';
import { DEFAULT_PROJECTION_BATCH_SIZE } from './projections/batchSize';

/** Everything the service reads from its environment, decoded once at start. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Set: events go to EventStoreDB. Unset: the embedded SQLite store in dataDir. */
  readonly eventStoreConnectionString?: string;
  /** Set: read models go to MongoDB. Unset: embedded SQLite in dataDir. */
  readonly mongodbUri?: string;
  readonly mongodbDatabase: string;
  readonly segmentWriteKey?: string;
  readonly segmentSharedSecret?: string;
  readonly adminToken?: string;
  readonly publicUrl?: string;
  readonly logLevel: string;
  /** Load shedding: calls waiting for a commit past which the webhook answers 429. */
  readonly maxInFlightCalls: number;
  /** Projection lag past which the webhook answers 503 (read models too far behind). */
  readonly maxProjectionLagEvents: number;
  readonly maxProjectionLagSeconds: number;
  /** Set: every alert is also POSTed there (with retries); `alertWebhookSecret` signs the body (X-CSCX-Signature). */
  readonly alertWebhookUrl?: string;
  readonly alertWebhookSecret?: string;
  /** The alert webhook's first retry delay (doubling after). */
  readonly alertWebhookRetryBaseMs: number;
  /**
   * Whether this instance runs the projections. With several instances on shared engines exactly one may (two
   * would race on the same documents); the others take calls and serve reads (RUN_PROJECTIONS=false).
   */
  readonly runProjections: boolean;
  /**
   * Whether projection batches are projected on a thread of their own (the default), so ingestion and the read
   * models use two cores. PROJECTOR_THREAD=false keeps everything on the service's thread.
   */
  readonly projectorThread: boolean;
  /**
   * Events per projection batch while catching up (a rebuild, a first start over a long history). Larger batches
   * cost less per event and hold more memory; live batches hold what arrived since the last one.
   */
  readonly projectionBatchSize: number;
  /** Wait before dropping a replaced read-model version, so instances following the pointer have moved on. */
  readonly readModelDropGraceMs: number;
  /** Set: `/metrics` answers only `Authorization: Bearer <token>` (Prometheus' `authorization` setting). */
  readonly metricsToken?: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const nonEmpty = (name: string) => (env[name] && env[name]!.trim() ? env[name]!.trim() : undefined);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    eventStoreConnectionString: nonEmpty('EVENTSTORE_CONNECTION_STRING'),
    mongodbUri: nonEmpty('MONGODB_URI'),
    mongodbDatabase: nonEmpty('MONGODB_DATABASE') ?? 'cscx_segment',
    segmentWriteKey: nonEmpty('SEGMENT_WRITE_KEY'),
    segmentSharedSecret: nonEmpty('SEGMENT_SHARED_SECRET'),
    adminToken: nonEmpty('ADMIN_TOKEN'),
    publicUrl: nonEmpty('PUBLIC_URL'),
    logLevel: env.LOG_LEVEL ?? 'info',
    maxInFlightCalls: positive(env, 'MAX_IN_FLIGHT_CALLS', 20_000),
    maxProjectionLagEvents: positive(env, 'MAX_PROJECTION_LAG_EVENTS', 200_000),
    maxProjectionLagSeconds: positive(env, 'MAX_PROJECTION_LAG_SECONDS', 120),
    alertWebhookUrl: nonEmpty('ALERT_WEBHOOK_URL'),
    alertWebhookSecret: nonEmpty('ALERT_WEBHOOK_SECRET'),
    alertWebhookRetryBaseMs: positive(env, 'ALERT_WEBHOOK_RETRY_BASE_MS', 500),
    runProjections: !/^(false|0|off|no)$/i.test(env.RUN_PROJECTIONS?.trim() ?? ''),
    projectorThread: !/^(false|0|off|no)$/i.test(env.PROJECTOR_THREAD?.trim() ?? ''),
    projectionBatchSize: positive(env, 'PROJECTION_BATCH_SIZE', DEFAULT_PROJECTION_BATCH_SIZE),
    readModelDropGraceMs: env.READ_MODEL_DROP_GRACE_MS?.trim() ? positive(env, 'READ_MODEL_DROP_GRACE_MS', 0) : 0,
    metricsToken: nonEmpty('METRICS_TOKEN'),
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}
