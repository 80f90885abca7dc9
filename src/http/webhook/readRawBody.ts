import type { Context } from 'koa';
import { createGunzip, createInflate } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import { HttpError } from '../httpError';

/**
 * Reads the request body as bytes (the signature is computed over exactly these), inflating gzip or deflate,
 * and stops reading as soon as the limit is passed, so an oversized body costs no memory.
 */
export async function readRawBody(ctx: Context, limitBytes: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (declared > limitBytes) throw tooLarge(limitBytes);
  const encoding = ctx.get('content-encoding').toLowerCase();
  let source: Readable = ctx.req;
  // pipeline, not pipe: a client that goes away also ends the inflating stream, instead of leaving it waiting.
  if (encoding === 'gzip') source = pipeline(ctx.req, createGunzip(), () => undefined);
  else if (encoding === 'deflate') source = pipeline(ctx.req, createInflate(), () => undefined);
  else if (encoding && encoding !== 'identity') {
    throw new HttpError(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported (use gzip or none)`);
  }
  return collect(source, limitBytes);
}

/**
 * The bytes of a stream, up to `limitBytes`. Plain 'data'/'end' listeners: an async iterator over the request
 * costs several promises per chunk, and most bodies are one chunk.
 */
function collect(source: Readable, limitBytes: number): Promise<Buffer> {
  if (source.readableEnded) return Promise.resolve(Buffer.alloc(0));
  // Gone before we started (the client left while the request waited at admission): no event will come.
  if (source.destroyed) return Promise.reject(new HttpError(400, 'unreadable_body', 'the body could not be read: the connection closed'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // Listeners are not removed once settled: the request is over by then, and they go with it. Errors are made
    // only if still unsettled: 'close' follows every 'end', and an Error (with its stack) per request is costly.
    const done = (error?: () => HttpError) => {
      if (settled) return;
      settled = true;
      if (error) reject(error());
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    source.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limitBytes) {
        source.destroy();
        done(() => tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    source.on('end', () => done());
    source.on('error', (error: Error) => done(() => new HttpError(400, 'unreadable_body', `the body could not be read: ${error.message}`)));
    // A client that goes away mid-body: the stream closes without 'end'.
    source.on('close', () => done(() => new HttpError(400, 'unreadable_body', 'the body could not be read: the connection closed')));
  });
}

const tooLarge = (limit: number) =>
  new HttpError(413, 'payload_too_large', `the body is larger than ${limit} bytes`, { limitBytes: limit });
