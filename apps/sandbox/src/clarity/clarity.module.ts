import { Module } from '@nestjs/common';
import { ClarityAccountsController } from './clarity-accounts.controller';
import { ClarityAuthController } from './clarity-auth.controller';
import { ClarityAuthGuard } from './clarity-auth.guard';
import { ClarityAuthService } from './clarity-auth.service';
import { ClarityCatalogService } from './clarity-catalog.service';
import { ClarityOrdersController } from './clarity-orders.controller';
import { ClarityOrdersService } from './clarity-orders.service';
import { ClarityPaymentsController } from './clarity-payments.controller';
import { ClarityWebhookPublisher } from './clarity-webhook.publisher';

/** The Clarity eCommerce simulator. */
@Module({
  controllers: [
    ClarityAuthController,
    ClarityOrdersController,
    ClarityPaymentsController,
    ClarityAccountsController,
  ],
  providers: [
    ClarityAuthService,
    ClarityAuthGuard,
    ClarityCatalogService,
    ClarityOrdersService,
    ClarityWebhookPublisher,
  ],
  exports: [ClarityAuthService, ClarityCatalogService, ClarityOrdersService],
})
export class ClarityModule {}
