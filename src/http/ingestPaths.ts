/** The requests that bring Segment calls in: the webhook and the HTTP Tracking API, by POST, PUT or PATCH. */
const INGEST_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export const isIngestRequest = (method: string, path: string): boolean =>
  INGEST_METHODS.has(method) && (path.startsWith('/api/integrations/segment/webhook') || path.startsWith('/v1/'));
