import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiKeyRoute, bodyValidator, InternalAuthGuard, WorkspaceId } from '@hookline/http';
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
@ApiTags('customers')
@ApiKeyRoute()
@Controller('v1/customers')
@UseGuards(InternalAuthGuard)
export class CustomersController {
  constructor(
    private readonly identify: IdentifyCustomerUseCase,
    private readonly getCustomer: GetCustomerUseCase,
  ) {}

  @Post('identify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Link identifiers to one customer', description: "The platform's own id when `customerId` is given; identifiers owned by another customer are returned as conflicts, never merged. Releases events parked for these identifiers." })
  @ApiBody({ schema: parseIdentify.schema })
  @ApiResponse({ status: 200, description: '`{customerId, identifiers, conflicts}`' })
  @ApiErrors(422)
  identifyCustomer(@WorkspaceId() workspaceId: string, @Body() body: unknown) {
    // Ids arrive as bigint from the lossless parser and are kept as exact digits.
    const command = parseIdentify(toJsonSafe((body ?? {}) as JsonValue));
    return this.identify.execute({ ...command, workspaceId });
  }

  @Get(':customerId')
  @ApiOperation({ summary: "The customer's identifiers and the journeys started for it" })
  @ApiResponse({ status: 200, description: '`{customerId, identifiers, allIdentifiers, journeys}`' })
  @ApiErrors(404)
  get(@WorkspaceId() workspaceId: string, @Param('customerId') customerId: string) {
    return this.getCustomer.execute(workspaceId, customerId);
  }
}
