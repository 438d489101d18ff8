import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClarityApiError } from './clarity-api.error';
import { toActionResponse } from './clarity-action-result';
import { ClarityAuthGuard } from './clarity-auth.guard';
import { asId } from './clarity-input';
import { ClarityOrdersService } from './clarity-orders.service';
import { paginate, pickParam, readClarityListQuery } from './clarity-paging';
import { CLARITY_CONTROLLER_PATHS } from './clarity-routes';
import { paymentToWire } from './clarity-wire';

/** Clarity's Payments service. */
@ApiTags('Clarity eCommerce (simulated)')
@UseGuards(ClarityAuthGuard)
@Controller(CLARITY_CONTROLLER_PATHS)
export class ClarityPaymentsController {
  constructor(@Inject(ClarityOrdersService) private readonly orders: ClarityOrdersService) {}

  @Get('Payments/Payments')
  @ApiOperation({
    summary: 'List payments: SalesOrderID, ModifiedSince, Paging.StartIndex, Paging.Size',
  })
  list(@Query() query: Record<string, unknown>) {
    const listQuery = readClarityListQuery(query, 'GetPayments');
    const salesOrderId = pickParam(query, 'SalesOrderID');
    const page = paginate(
      this.orders.listPayments({
        salesOrderId: salesOrderId ? Number(salesOrderId) : undefined,
        modifiedSinceMs: listQuery.modifiedSinceMs,
      }),
      listQuery,
    );
    return { ...page, Results: page.Results.map(paymentToWire) };
  }

  @Get('Payments/Payment/ID/:id')
  @ApiOperation({ summary: 'Get a payment by ID' })
  getById(@Param('id') id: string) {
    const payment = asId(id) === undefined ? undefined : this.orders.getPayment(Number(id));
    if (!payment) throw new ClarityApiError(404, 'NotFound', `Payment with ID ${id} was not found`);
    return paymentToWire(payment);
  }

  @Post('Payments/Payment/Create')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Process a payment {SalesOrderID, Amount, CurrencyKey?, PaymentMethodKey?, TransactionNumber?}',
  })
  create(@Body() body: unknown) {
    return toActionResponse(this.orders.createPayment(body), paymentToWire);
  }
}
