// Structured JSON logs (pino): one JSON object per line on stdout, with the service, the
// level, the Nest context and, inside a unit of work, its trace and event ids (context.ts).
// Bodies, secrets and tokens are never logged; the redaction below is a second line of
// defence for an object logged by mistake, not the rule.
import type { LoggerService } from '@nestjs/common';
import pino, { type Level, type Logger } from 'pino';
import { contextFields } from './context';

export type LogLevelName = 'error' | 'warn' | 'info' | 'debug';

/** Keys whose values are never written, wherever they sit (two levels deep). */
const SECRET_KEYS = ['body', 'rawBody', 'bodyPreview', 'secret', 'previousSecret', 'secrets', 'token', 'apiKey', 'password', 'authorization', 'cookie', 'encryptionKey'];
const REDACT = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export function createLogger(service: string, level: LogLevelName = 'info', destination: pino.DestinationStream = pino.destination({ fd: 1, sync: true })): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: contextFields,
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination,
  );
}

/**
 * Nest's logger interface on pino: `new Logger('edge').warn(...)` anywhere in a service (and
 * Nest's own and the Kafka transport's lines) become JSON. A message may be an object: its
 * `msg` is the text and its other fields go on the line (`{ msg, eventId, triggerId }`).
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    // Nest appends the logger's context as the last parameter (undefined in its place when
    // the call had none); error() may put a stack before it.
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (rest.length > 0 && (typeof rest[rest.length - 1] === 'string' || rest[rest.length - 1] === undefined)) {
      const context = rest.pop();
      if (context) fields['context'] = context;
    }
    let text: string;
    if (message instanceof Error) {
      fields['err'] = message;
      text = message.message;
    } else if (message !== null && typeof message === 'object') {
      const { msg, message: alt, ...others } = message as Record<string, unknown>;
      Object.assign(fields, others);
      text = String(msg ?? alt ?? '');
    } else {
      text = String(message);
    }
    if (level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n')) fields['stack'] = rest.shift();
    const extra = rest.filter((p) => p !== undefined);
    if (extra.length > 0) fields['params'] = extra.map((p) => (typeof p === 'string' ? p : safeJson(p)));
    this.pino[level](fields, text);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 2_000) ?? String(value);
  } catch {
    return String(value);
  }
}
