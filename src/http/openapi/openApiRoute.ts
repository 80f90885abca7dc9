import type Router from '@koa/router';
import { paths } from './paths';
import { schemas } from './schemas';

/** The OpenAPI 3.1 description of the HTTP API, built once. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'CSCX.AI Segment Data Sync',
    version: '0.1.0',
    description: 'Segment destination: calls in (webhook, HTTP Tracking API), customer read models and dead letters out.',
  },
  servers: [{ url: '/' }],
  paths,
  components: {
    schemas,
    securitySchemes: {
      writeKeyBasic: { type: 'http', scheme: 'basic', description: 'the write key as user name, empty password' },
      writeKeyBearer: { type: 'http', scheme: 'bearer', description: 'the write key' },
      signature: { type: 'apiKey', in: 'header', name: 'X-Signature', description: 'hex HMAC-SHA1 of the body with the shared secret' },
      adminToken: { type: 'http', scheme: 'bearer', description: "the workspace's admin token" },
      adminTokenQuery: { type: 'apiKey', in: 'query', name: 'token' },
      metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when the deployment sets one' },
    },
  },
} as const;

export function mountOpenApi(router: Router): void {
  router.get('/openapi.json', (ctx) => {
    ctx.body = openApiDocument;
  });
}
