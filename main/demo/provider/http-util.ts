import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { KoaContext } from './oidc-types.js';

/** Alibaba's request ids are upper-case UUIDs. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

/** An Alibaba-style error body: `error`, `error_description`, `requestId`. */
export function sendError(ctx: KoaContext, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description, requestId: newRequestId() };
}

export function sendJson(ctx: KoaContext, status: number, body: Record<string, unknown>): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}

const FORM_LIMIT = 16 * 1024;

/** Reads a small `application/x-www-form-urlencoded` body (the login form). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > FORM_LIMIT) throw new Error('form too large');
    chunks.push(buffer);
  }
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Lets a short-circuited request's unread body drain so the connection can be reused. */
export function discardBody(req: IncomingMessage): void {
  if (!req.readableEnded) req.resume();
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** RFC 3339 in whole seconds, `2026-11-22T02:21:56Z`, as Alibaba writes expirations. */
export function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
