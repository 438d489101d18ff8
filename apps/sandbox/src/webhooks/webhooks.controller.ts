import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  UsePipes,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { controlValidationPipe } from '../common/control-validation.pipe';
import { WebhookSubscriptionDto } from './webhook-subscription.dto';
import { WebhookDispatcher, WebhookSubscriptionError } from './webhook-dispatcher.service';

/** `/_sandbox/webhooks`: subscribe URLs to Clarity events and Payoneer notifications; inspect deliveries. */
@ApiTags('Sandbox control')
@UsePipes(controlValidationPipe)
@Controller('_sandbox/webhooks')
export class WebhooksController {
  constructor(@Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher) {}

  @Post()
  @ApiOperation({
    summary:
      'Subscribe a URL (Clarity: order.created, payment.processed, order.status_changed; Payoneer: IPCN event names)',
  })
  subscribe(@Body() subscription: WebhookSubscriptionDto) {
    try {
      return this.dispatcher.subscribe(subscription);
    } catch (error) {
      if (error instanceof WebhookSubscriptionError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  @Get()
  @ApiOperation({ summary: 'List subscriptions' })
  list() {
    return { subscriptions: this.dispatcher.listSubscriptions() };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a subscription' })
  remove(@Param('id') id: string): void {
    if (!this.dispatcher.unsubscribe(id))
      throw new NotFoundException(`webhook subscription ${id} does not exist`);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'Deliveries with their attempts; filter by system and event' })
  deliveries(@Query('system') system?: string, @Query('event') event?: string) {
    return { deliveries: this.dispatcher.listDeliveries({ system, event }) };
  }
}
