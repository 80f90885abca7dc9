import type { Context } from 'koa';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
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
  if (encoding === 'gzip') source = ctx.req.pipe(createGunzip());
  else if (encoding === 'deflate') source = ctx.req.pipe(createInflate());
  else if (encoding && encoding !== 'identity') {
    throw new HttpError(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported (use gzip or none)`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > limitBytes) {
        source.destroy();
        throw tooLarge(limitBytes);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'unreadable_body', `the body could not be read: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks, size);
}

const tooLarge = (limit: number) =>
  new HttpError(413, 'payload_too_large', `the body is larger than ${limit} bytes`, { limitBytes: limit });
