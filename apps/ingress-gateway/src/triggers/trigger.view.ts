import type { TriggerView } from '@hookline/contracts';
import type { TriggerEntity } from './trigger.entity';
import { verificationView } from './verification-settings';

/**
 * The trigger as the API shows it. The URL's token is only known when it is issued (create,
 * rotate-token); secrets are never shown, only the scheme and its settings.
 */
export function triggerView(t: TriggerEntity, baseUrl: string, token?: string, now = new Date()): TriggerView {
  const graceEnds = t.previousTokenValidUntil && t.previousTokenValidUntil > now ? t.previousTokenValidUntil.toISOString() : null;
  return {
    id: t.id,
    flowId: t.flowId,
    name: t.name,
    status: t.status,
    url: token ? `${baseUrl}/hooks/${t.id}/${token}` : null,
    /** Until then the URL before the last rotation keeps working; null when it no longer does. */
    previousUrlValidUntil: graceEnds,
    verification: verificationView({ scheme: t.verificationScheme, options: t.verificationOptions, secrets: t.signingSecrets }),
    limits: t.limits,
    unknownCustomer: t.unknownCustomer,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
/** The answer's type is the API contract's (libs/contracts), which clients share. */
export type { TriggerView };
