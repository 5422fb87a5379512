import { timingSafeEqual } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { TriggerConfigV1, TriggerLimitsV1, TriggerStatus, VerificationScheme } from '@hookline/contracts';
import { sha256Bytes } from '../auth/secrets';
import { type SecretBox, SecretBoxError } from '../verification/secret-box';
import { signatureHeaders, verifierFor } from '../verification/verifier-for';
import type { Verifier } from '../verification/verification.types';

/** What the webhook route knows of a trigger: everything it needs, nothing it must fetch. */
export interface EdgeTrigger {
  id: string;
  workspaceId: string;
  flowId: string;
  status: TriggerStatus;
  /** Epoch ms of the config held: an older message never replaces a newer one. */
  updatedAt: number;
  tokenHash: Buffer;
  previousTokenHash: Buffer | null;
  previousTokenValidUntil: number | null;
  limits: TriggerLimitsV1;
  scheme: VerificationScheme;
  toleranceSeconds: number;
  verifier: Verifier;
  /** The signing secrets, opened; null when no configured key opens them (the route then answers 503). */
  secrets: string[] | null;
  /** Headers holding signature material for this trigger's scheme, kept off the accepted event. */
  signatureHeaders: string[];
}

const hashBytes = (hex: string) => Buffer.from(hex, 'hex');

/** Stands in when a trigger's verification cannot be set up; `secrets` is then null and the route answers 503 before using it. */
const UNUSABLE: Verifier = { scheme: 'none', verify: () => ({ ok: false, code: 'SIGNATURE_INVALID', reason: 'verification is not available for this trigger' }) };

/**
 * Does `token` open this trigger's URL at `now`: the current token, or the previous one
 * within its grace. Both hashes are compared, each in constant time.
 */
export function tokenMatches(trigger: EdgeTrigger, token: string, now: number): boolean {
  if (token.length > 200) return false;
  const presented = sha256Bytes(token);
  const current = timingSafeEqual(presented, trigger.tokenHash);
  const previous = trigger.previousTokenHash !== null && timingSafeEqual(presented, trigger.previousTokenHash);
  return current || (previous && trigger.previousTokenValidUntil !== null && now < trigger.previousTokenValidUntil);
}

/**
 * Every trigger, in memory, for the webhook route: Postgres is never asked per request. It
 * is fed by the compacted trigger-config topic (every replica reads all of it, from the
 * beginning, at start) and by this replica's own writes as soon as they commit, so a
 * change is effective here at once and on the other replicas as soon as they consume it.
 *
 * Messages may arrive twice or late (a local write, then the same change from the topic;
 * a replay after a consumer restart), so an entry is replaced only by a config at least as
 * new, and a deleted trigger never comes back (ids are never reused).
 */
export class TriggerCache {
  private readonly logger = new Logger('trigger-cache');
  private readonly triggers = new Map<string, EdgeTrigger>();
  private readonly deleted = new Set<string>();

  constructor(
    private readonly box: SecretBox,
    /** True once the topic has been read up to where it ended at start. */
    private readonly loaded: () => boolean,
  ) {}

  isLoaded(): boolean {
    return this.loaded();
  }

  get size(): number {
    return this.triggers.size;
  }

  find(id: string): EdgeTrigger | undefined {
    return this.triggers.get(id);
  }

  /** A config message (null: the trigger was deleted). */
  apply(triggerId: string, config: TriggerConfigV1 | null): void {
    if (config === null || this.deleted.has(triggerId)) {
      this.remove(triggerId);
      return;
    }
    const updatedAt = Date.parse(config.updatedAt);
    const held = this.triggers.get(triggerId);
    if (held && held.updatedAt > updatedAt) return;
    this.triggers.set(triggerId, this.edgeTrigger(config, updatedAt));
  }

  remove(triggerId: string): void {
    this.deleted.add(triggerId);
    this.triggers.delete(triggerId);
  }

  private edgeTrigger(config: TriggerConfigV1, updatedAt: number): EdgeTrigger {
    const { verification, tokens } = config;
    let secrets: string[] | null = null;
    let verifier: Verifier = UNUSABLE;
    try {
      secrets = verification.secrets.map((sealed) => this.box.open(sealed, config.triggerId));
      verifier = verifierFor(verification.scheme, verification.hmac);
    } catch (error) {
      secrets = null;
      if (error instanceof SecretBoxError) {
        this.logger.error(`trigger ${config.triggerId}: its signing secrets cannot be opened (${error.message}); its webhooks answer 503 until HOOKLINE_ENCRYPTION_KEY or HOOKLINE_ENCRYPTION_PREVIOUS_KEYS holds the key`);
      } else {
        this.logger.error(`trigger ${config.triggerId}: its verification settings are unusable (${error instanceof Error ? error.message : String(error)}); its webhooks answer 503`);
      }
    }
    return {
      id: config.triggerId,
      workspaceId: config.workspaceId,
      flowId: config.flowId,
      status: config.status,
      updatedAt,
      tokenHash: hashBytes(tokens.hash),
      previousTokenHash: tokens.previousHash ? hashBytes(tokens.previousHash) : null,
      previousTokenValidUntil: tokens.previousValidUntil ? Date.parse(tokens.previousValidUntil) : null,
      limits: config.limits,
      scheme: verification.scheme,
      toleranceSeconds: verification.toleranceSeconds,
      verifier,
      secrets,
      signatureHeaders: signatureHeaders(verification.scheme, verification.hmac),
    };
  }
}
