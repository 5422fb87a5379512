import { Controller, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ReceiveWebhookUseCase } from './use-cases/receive-webhook.use-case';

function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  const url = new URL(req.originalUrl, 'http://x');
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

/** `POST|PUT /hooks/{triggerId}/{token}`: the public route third parties call. */
@Controller('hooks')
export class HooksController {
  constructor(private readonly receive: ReceiveWebhookUseCase) {}

  @Post(':triggerId/:token')
  @HttpCode(202)
  post(@Req() req: Request, @Param('triggerId') triggerId: string, @Param('token') token: string) {
    return this.handle(req, triggerId, token, 'POST');
  }

  @Put(':triggerId/:token')
  @HttpCode(202)
  put(@Req() req: Request, @Param('triggerId') triggerId: string, @Param('token') token: string) {
    return this.handle(req, triggerId, token, 'PUT');
  }

  private handle(req: Request, triggerId: string, token: string, method: 'POST' | 'PUT') {
    return this.receive.execute({
      triggerId,
      token,
      method,
      contentType: req.header('content-type'),
      body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      headers: req.headers,
      query: queryOf(req),
    });
  }
}
