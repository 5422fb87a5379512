import type { TriggerEntity } from './trigger.entity';

/** The trigger as the API shows it. The URL's token is only known when it is issued. */
export function triggerView(t: TriggerEntity, baseUrl: string, token?: string) {
  return {
    id: t.id,
    flowId: t.flowId,
    name: t.name,
    status: t.status,
    url: token ? `${baseUrl}/hooks/${t.id}/${token}` : null,
    verification: { scheme: t.verificationScheme },
    limits: t.limits,
    unknownCustomer: t.unknownCustomer,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
export type TriggerView = ReturnType<typeof triggerView>;
