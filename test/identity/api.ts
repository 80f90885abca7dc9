import { expect } from 'chai';
import type { TestService } from '../support/testService';

/** JSON of an admin GET that must answer 200. */
export async function getJson<T = any>(service: TestService, path: string): Promise<T> {
  const response = await service.get(path);
  expect(response.status, `GET ${path}`).to.equal(200);
  return (await response.json()) as T;
}

/** An admin request with a JSON body. */
export function send(service: TestService, method: string, path: string, body: unknown): Promise<Response> {
  return fetch(service.url + path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${service.adminToken}` },
    body: JSON.stringify(body),
  });
}

/** Every document of every read-store collection, as text: where personal data must not be. */
export async function readStoreText(service: TestService): Promise<string> {
  const store = service.services.readStore;
  const parts: string[] = [];
  for (const name of await store.listCollections()) {
    parts.push(JSON.stringify(await (await store.collection(name)).find({})));
  }
  return parts.join('\n');
}
