import { expect } from 'chai';
import type Router from '@koa/router';
import { buildApp } from '../../src/http/app';
import { startTestService, TestService } from '../support/testService';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

/** Every (method, path) the Koa routers of the app serve, with `:param` written `{param}` as OpenAPI does. */
function registeredRoutes(service: TestService): { method: string; path: string }[] {
  const routers = buildApp(service.services)
    .middleware.map((m) => (m as { router?: Router }).router)
    .filter((r): r is Router => r !== undefined);
  expect(routers.length).to.be.greaterThan(0);
  return routers.flatMap((router) =>
    router.stack
      .filter((layer) => layer.methods.length > 0)
      .flatMap((layer) =>
        layer.methods
          .filter((m) => m !== 'HEAD')
          .map((method) => ({ method: method.toLowerCase(), path: String(layer.path).replace(/:([A-Za-z0-9_]+)/g, '{$1}') })),
      ),
  );
}

describe('OpenAPI document at /openapi.json', () => {
  let service: TestService;
  let document: OpenApi;
  before(async () => {
    service = await startTestService();
    document = (await (await fetch(service.url + '/openapi.json')).json()) as OpenApi;
  });
  after(() => service.close());

  it('is OpenAPI 3.1', () => {
    expect(document.openapi).to.match(/^3\.1\./);
  });

  it('describes every route the app registers, with its method', () => {
    const routes = registeredRoutes(service);
    expect(routes.length).to.be.greaterThan(10);
    const missing = routes.filter(({ method, path }) => document.paths[path]?.[method] === undefined);
    expect(missing, 'routes missing from src/http/openapi/paths.ts').to.deep.equal([]);
  });

  it('describes no route the app does not serve', () => {
    const served = new Set(registeredRoutes(service).map(({ method, path }) => `${method} ${path}`));
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(documented.filter((route) => !served.has(route))).to.deep.equal([]);
  });

  it('resolves every schema reference', () => {
    const text = JSON.stringify(document);
    const names = [...text.matchAll(/"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]!);
    const schemas = (document as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas;
    expect(names.filter((name) => !(name in schemas))).to.deep.equal([]);
  });
});
