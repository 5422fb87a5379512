import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import type { ErrorBody, TriggerStatus } from '@hookline/contracts';
import { ApiException } from '@hookline/http';
import { MAX_TRIGGER_BODY_BYTES } from '../config/gateway.config';
import { GatewayMetrics, type TriggerStatusLabel } from '../metrics/gateway-metrics';
import { ReceiveWebhookUseCase } from './use-cases/receive-webhook.use-case';

const ROUTE = '/hooks/{triggerId}/{token}' as const;
const JSON_TYPE = 'application/json; charset=utf-8';
const PATH = /^\/hooks\/([^/?#]+)\/([^/?#]+)\/?(?:\?|$)/;

/**
 * `POST|PUT /hooks/{triggerId}/{token}` on bare node:http: the public route third parties
 * call, the one that must keep up with their bursts. Express in front of it passed about a
 * sixth of what node:http does here (bench/README.md), so this route reads its body and
 * writes its answer itself; everything else stays with Nest and Express. HTTP in, nothing
 * else: the use-case decides.
 *
 * The body is refused with 413 from its Content-Length before a byte is read, and again on
 * the stream when it grows past the limit without one (chunked). The server's
 * requestTimeout and headersTimeout bound a slow or stalled client (see edge-server.ts).
 */
@Injectable()
export class HooksHttpHandler {
  private readonly logger = new Logger('webhooks');

  constructor(
    private readonly receive: ReceiveWebhookUseCase,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** True for the requests this handler serves (it then answers them). */
  matches(req: IncomingMessage): boolean {
    return (req.method === 'POST' || req.method === 'PUT') && req.url !== undefined && req.url.startsWith('/hooks/') && PATH.test(req.url);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const match = PATH.exec(req.url!)!;
    let triggerId: string;
    let token: string;
    try {
      triggerId = decodeURIComponent(match[1]!);
      token = decodeURIComponent(match[2]!);
    } catch {
      this.fail(res, new ApiException(404, 'NOT_FOUND', 'not found'), 'unknown');
      return;
    }
    const limit = MAX_TRIGGER_BODY_BYTES;
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      this.tooLarge(req, res, `body of ${declared} bytes exceeds ${limit}`);
      return;
    }
    let source: IncomingMessage | Transform = req;
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
      if (!decoder) {
        this.refuseUnread(req, res, new ApiException(415, 'UNSUPPORTED_MEDIA_TYPE', `content encoding ${encoding.slice(0, 40)} is not supported`));
        return;
      }
      source = req.pipe(decoder);
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done = true;
        source.off('data', onData);
        this.tooLarge(req, res, `body exceeds ${limit} bytes`);
        return;
      }
      chunks.push(chunk);
    };
    source.on('data', onData);
    source.once('end', () => {
      if (done) return;
      done = true;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      this.dispatch(req, res, triggerId, token, body);
    });
    // The client left, or the server's requestTimeout answered 408 and closed the socket.
    const gone = () => {
      if (done) return;
      done = true;
      this.metrics.rejection('CLIENT_GONE');
    };
    req.once('aborted', gone);
    req.once('error', gone);
    if (source !== req) {
      source.once('error', () => {
        if (done) return;
        done = true;
        // A body that does not decompress is the client's fault, not a vanished client.
        this.refuseUnread(req, res, new ApiException(400, 'BAD_REQUEST', 'the body could not be decompressed'));
      });
    }
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, triggerId: string, token: string, body: Buffer): void {
    let triggerStatus: TriggerStatusLabel = 'unknown';
    const method = req.method === 'PUT' ? 'PUT' : 'POST';
    this.receive
      .execute({
        triggerId,
        token,
        method,
        contentType: header(req, 'content-type'),
        body,
        headers: req.headers,
        query: queryOf(req.url!),
        requestUrl: req.url,
        onTrigger: (status: TriggerStatus) => (triggerStatus = status),
      })
      .then(
        (result) => {
          const text = JSON.stringify(result);
          res.writeHead(202, ['content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(text))]);
          res.end(text);
          this.metrics.request(ROUTE, 202, triggerStatus);
        },
        (error: unknown) => this.fail(res, error, triggerStatus),
      );
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse, message: string): void {
    this.refuseUnread(req, res, new ApiException(413, 'PAYLOAD_TOO_LARGE', message));
  }

  /** Answers before the body was read: the connection cannot be reused, so it is closed after the answer. */
  private refuseUnread(req: IncomingMessage, res: ServerResponse, error: ApiException): void {
    this.fail(res, error, 'unknown', true);
    // Stop reading; what the client still sends is dropped with the socket.
    res.once('finish', () => req.socket.destroySoon());
  }

  private fail(res: ServerResponse, error: unknown, triggerStatus: TriggerStatusLabel, close = false): void {
    let status = 500;
    let body: ErrorBody = { error: { code: 'INTERNAL', message: 'internal error', details: [] } };
    let headers: Record<string, string> = {};
    if (error instanceof ApiException) {
      status = error.getStatus();
      body = error.getResponse() as ErrorBody;
      headers = error.headers;
    } else {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    this.metrics.rejection(body.error.code);
    this.metrics.request(ROUTE, status, triggerStatus);
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...(close ? { connection: 'close' } : {}) });
    res.end(text);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function queryOf(url: string): Record<string, string> {
  const q = url.indexOf('?');
  const out: Record<string, string> = {};
  if (q < 0) return out;
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) out[k] = v;
  return out;
}
