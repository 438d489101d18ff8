import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
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
import { salesOrderToWire } from './clarity-wire';

/** Clarity's Ordering service: sales orders. */
@ApiTags('Clarity eCommerce (simulated)')
@UseGuards(ClarityAuthGuard)
@Controller(CLARITY_CONTROLLER_PATHS)
export class ClarityOrdersController {
  constructor(@Inject(ClarityOrdersService) private readonly orders: ClarityOrdersService) {}

  @Get('Ordering/SalesOrders')
  @ApiOperation({
    summary:
      'List sales orders: ModifiedSince, StatusKey, AccountID, Paging.StartIndex (1-based page), Paging.Size',
  })
  list(@Query() query: Record<string, unknown>) {
    const listQuery = readClarityListQuery(query, 'GetSalesOrders');
    const accountId = pickParam(query, 'AccountID');
    const orders = this.orders.listOrders({
      modifiedSinceMs: listQuery.modifiedSinceMs,
      statusKey: pickParam(query, 'StatusKey') || undefined,
      accountId: accountId ? Number(accountId) : undefined,
    });
    const page = paginate(orders, listQuery);
    return { ...page, Results: page.Results.map(salesOrderToWire) };
  }

  @Get('Ordering/SalesOrder/ID/:id')
  @ApiOperation({ summary: 'Get a sales order by ID' })
  getById(@Param('id') id: string) {
    const order = asId(id) === undefined ? undefined : this.orders.getOrder(Number(id));
    if (!order)
      throw new ClarityApiError(404, 'NotFound', `SalesOrder with ID ${id} was not found`);
    return salesOrderToWire(order);
  }

  @Get('Ordering/SalesOrder/Key/:key')
  @ApiOperation({ summary: 'Get a sales order by CustomKey' })
  getByKey(@Param('key') key: string) {
    const order = this.orders.findOrderByKey(key);
    if (!order)
      throw new ClarityApiError(404, 'NotFound', `SalesOrder with Key ${key} was not found`);
    return salesOrderToWire(order);
  }

  @Post('Ordering/SalesOrder/Create')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a sales order; answers {ActionSucceeded, Messages, Result}' })
  create(@Body() body: unknown) {
    return toActionResponse(this.orders.createOrder(body), salesOrderToWire);
  }

  @Put('Ordering/SalesOrder/Update')
  @ApiOperation({
    summary:
      'Update Name, Description or StatusKey (incl. the custom "Reconciled") of the order with body.ID',
  })
  update(@Body() body: unknown) {
    return toActionResponse(this.orders.updateOrder(body), salesOrderToWire);
  }

  @Post('Ordering/SalesOrder/Upsert')
  @HttpCode(200)
  @ApiOperation({ summary: 'Update the order with body.ID / body.CustomKey, or create it' })
  upsert(@Body() body: unknown) {
    return toActionResponse(this.orders.upsertOrder(body), salesOrderToWire);
  }

  @Patch('Ordering/SalesOrder/Confirm/:id')
  @ApiOperation({ summary: 'Move a Pending / On Hold order to Confirmed' })
  confirm(@Param('id') id: string) {
    const orderId = asId(id);
    if (orderId === undefined)
      throw new ClarityApiError(
        400,
        'SerializationException',
        `'${id}' is an Invalid value for 'ID'`,
      );
    return toActionResponse(this.orders.confirmOrder(orderId), salesOrderToWire);
  }
}
