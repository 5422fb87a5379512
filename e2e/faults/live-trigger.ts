/** The trigger every fault scenario loads: a live WooCommerce-orders trigger with a mapping, and its body per delivery. */
import { fixtureText, type Stack } from '@hookline/testing';
import { ApiClient } from '../api-client';

const ORDER = fixtureText('woocommerce__order_created.json');
const FIXTURE_EMAIL = '"email": "john.doe@example.com"';

/** A real WooCommerce order whose billing email (the unique id) is one of the load's customers. */
export const orderBody = (_deliveryId: string, customer: number) => ORDER.replace(FIXTURE_EMAIL, `"email": "customer-${customer}@example.com"`);

/** WooCommerce's delivery-id header: a redelivery carries the same one. */
export const DELIVERY_HEADER = 'x-wc-webhook-delivery-id';

/** Creates a workspace and a trigger, saves its mapping and sets it live; returns the webhook URL. */
export async function liveOrdersTrigger(stack: Stack): Promise<string> {
  const ws = await new ApiClient(stack.baseUrl, stack.adminToken).post<{ apiKey: string }>('/v1/workspaces', { name: 'faults' });
  const api = new ApiClient(stack.baseUrl, ws.body.apiKey);
  const trigger = await api.post<{ id: string; url: string }>('/v1/triggers', { flowId: 'flow_faults', name: 'WooCommerce orders' });
  const mapping = await api.request('PUT', `/v1/triggers/${trigger.body.id}/mapping`, {
    uniqueId: { type: 'email', path: 'billing.email' },
    variables: [
      { name: 'orderId', path: 'id', type: 'string' },
      { name: 'total', path: 'total', type: 'number' },
    ],
    variableSets: { products: { from: 'line_items[]', fields: { name: 'name', price: 'price', quantity: 'quantity' } } },
  });
  if (mapping.status !== 200) throw new Error(`mapping not saved: ${mapping.status} ${JSON.stringify(mapping.body)}`);
  const live = await api.request('PATCH', `/v1/triggers/${trigger.body.id}`, { status: 'live' });
  if (live.status !== 200) throw new Error(`trigger not live: ${live.status}`);
  return trigger.body.url;
}
