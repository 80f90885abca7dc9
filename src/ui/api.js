// The service's HTTP API, with the admin token from sessionStorage and errors turned into plain words.

const TOKEN = 'cscx.adminToken';

export const token = {
  get: () => sessionStorage.getItem(TOKEN),
  set: (value) => sessionStorage.setItem(TOKEN, value),
  clear: () => sessionStorage.removeItem(TOKEN),
};

/** An API failure a person can read: `title` and `message` in plain words, `fields` by path for forms. */
export class ApiError extends Error {
  constructor(status, body, fallback) {
    super(body?.message ?? fallback);
    this.status = status;
    this.body = body;
    this.code = body?.error;
    this.title = titleFor(status);
    this.fields = fieldErrors(body);
    this.detail = body ? JSON.stringify(body, null, 2) : undefined;
  }
}

function titleFor(status) {
  if (status === 0) return 'The service cannot be reached';
  if (status === 401) return 'Your sign-in is not valid';
  if (status === 404) return 'Not found';
  if (status === 400 || status === 422) return 'Please check what you entered';
  if (status === 429 || status === 503) return 'The service is busy — try again in a moment';
  return 'Something went wrong on the server';
}

/** Every API answers 400 with `errors: [{path, message}]` (or `path` alone): index them by path. */
function fieldErrors(body) {
  const map = new Map();
  for (const e of body?.errors ?? body?.rejected?.flatMap((r) => r.errors) ?? []) if (e?.path) map.set(e.path, e.message);
  if (body?.path && !map.has(body.path)) map.set(body.path, body.message);
  return map;
}

export async function api(path, { method = 'GET', body, headers = {}, auth = 'admin' } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(auth === 'admin' && token.get() ? { authorization: `Bearer ${token.get()}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null, 'Check that the service is running and your network connection works.');
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { message: text.slice(0, 300) };
  }
  if (!response.ok) {
    if (response.status === 401 && auth === 'admin') window.dispatchEvent(new CustomEvent('cscx:unauthorized'));
    throw new ApiError(response.status, parsed, `The request failed (${response.status}).`);
  }
  return parsed;
}

/** True when the service has this API (others are built alongside the web app): 404 with an unknown route. */
export async function available(path) {
  try {
    await api(path);
    return true;
  } catch (error) {
    return !(error instanceof ApiError && error.status === 404 && !error.code);
  }
}
