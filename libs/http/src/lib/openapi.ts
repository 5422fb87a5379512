// OpenAPI 3.1, generated from each service's controllers (@nestjs/swagger). Every service
// serves its own document at /openapi.json; the gateway merges them with its own and the
// webhook route (which runs outside Nest) into the one document of the one base URL.
import { applyDecorators } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiResponse, DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Application, Request, Response } from 'express';

/** Security scheme names used across the services' documents. */
export const API_KEY_AUTH = 'apiKey';
export const ADMIN_TOKEN_AUTH = 'adminToken';

/** `{ "error": { "code", "message", "details" } }`: every error answer. */
export const ERROR_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', description: 'stable machine-readable code, e.g. VALIDATION_FAILED, NOT_FOUND, MAPPING_INVALID' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', additionalProperties: true }, description: 'problems, each with a JSON pointer where it applies' },
      },
    },
  },
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'bad request (malformed JSON, a bad cursor)',
  401: 'missing or invalid credentials',
  404: 'not found in the caller’s workspace',
  409: 'conflicts with the current state',
  413: 'body too large',
  415: 'unsupported content type',
  422: 'invalid body: every problem with its JSON pointer',
  429: 'over the rate limit (Retry-After)',
  503: 'a dependency is unavailable; retry later (Retry-After)',
};

/** Error answers, each with the one error shape. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'error', schema: ERROR_BODY_SCHEMA })));
}

/** A management route called with a workspace API key (through the gateway). */
export function ApiKeyRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(API_KEY_AUTH), ApiErrors(401));
}

/** The service's document, from its controllers' metadata. */
export function buildOpenApiDocument(app: NestExpressApplication, service: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(`Hookline ${service}`)
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A workspace API key (POST /v1/workspaces, POST /v1/api-keys)' }, API_KEY_AUTH)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: "The operator's admin token (HOOKLINE_ADMIN_TOKEN)" }, ADMIN_TOKEN_AUTH)
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

/** `GET /openapi.json`: the document as built. */
export function serveOpenApi(app: NestExpressApplication, document: OpenAPIObject): void {
  const text = JSON.stringify(document);
  (app.getHttpAdapter().getInstance() as Application).get('/openapi.json', (_req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-cache');
    res.type('application/json').send(text);
  });
}
