import type { Context, Next } from 'koa';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The page may load only its own files and talk only to this service. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/**
 * The project folder: the nearest ancestor holding src/ui/index.html. Found by walking up, so the same code
 * works when compiled to dist/, to a build folder of any depth, or run from the sources.
 */
export function findUiFolder(start = __dirname): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'src', 'ui');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Serves the web app's static files under `/app/` (no bundler: plain ES modules and CSS). Every answer carries
 * an ETag and `no-cache`, so a browser revalidates cheaply (304) and never runs a stale module after an upgrade.
 */
export function serveUi(folder = findUiFolder()) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (!folder) return next(); // an installation without the web app still serves its APIs
    if (ctx.path === '/app' || ctx.path === '/') {
      ctx.redirect('/app/');
      return;
    }
    if (!ctx.path.startsWith('/app/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path.slice('/app/'.length)) || 'index.html';
    } catch {
      relative = '';
    }
    const file = normalize(join(folder, relative));
    if (!relative || !file.startsWith(folder + sep) || !CONTENT_TYPES[extname(file)] || !existsSync(file) || !statSync(file).isFile()) {
      ctx.status = 404;
      ctx.type = 'text/plain';
      ctx.body = 'not found';
      return;
    }
    const stat = statSync(file);
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    ctx.set('ETag', etag);
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    if (extname(file) === '.html') ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = CONTENT_TYPES[extname(file)]!;
    ctx.body = readFileSync(file);
  };
}
