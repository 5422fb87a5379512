import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { bodyValidator, InternalAuthGuard, WorkspaceId } from '@hookline/http';
import { toJsonSafe, type JsonValue } from '@hookline/payload';
import { GetCustomerUseCase } from './use-cases/get-customer.use-case';
import { type IdentifyCustomerCommand, IdentifyCustomerUseCase, IDENTIFY_TYPES } from './use-cases/identify-customer.use-case';

const identifierValue = { type: ['string', 'number'], minLength: 1, maxLength: 500 };
const parseIdentify = bodyValidator<Omit<IdentifyCustomerCommand, 'workspaceId'>>({
  type: 'object',
  required: ['identifiers'],
  properties: {
    identifiers: {
      type: 'object',
      minProperties: 1,
      properties: Object.fromEntries(IDENTIFY_TYPES.map((t) => [t, identifierValue])),
      additionalProperties: false,
    },
    customerId: { type: 'string', minLength: 1, maxLength: 200 },
  },
  additionalProperties: false,
});

/** The identity API: link identifiers to a customer, and look a customer up. */
@Controller('v1/customers')
@UseGuards(InternalAuthGuard)
export class CustomersController {
  constructor(
    private readonly identify: IdentifyCustomerUseCase,
    private readonly getCustomer: GetCustomerUseCase,
  ) {}

  @Post('identify')
  @HttpCode(200)
  identifyCustomer(@WorkspaceId() workspaceId: string, @Body() body: unknown) {
    // Ids arrive as bigint from the lossless parser and are kept as exact digits.
    const command = parseIdentify(toJsonSafe((body ?? {}) as JsonValue));
    return this.identify.execute({ ...command, workspaceId });
  }

  @Get(':customerId')
  get(@WorkspaceId() workspaceId: string, @Param('customerId') customerId: string) {
    return this.getCustomer.execute(workspaceId, customerId);
  }
}
