import { Module } from '@nestjs/common';
import { PayoneerAccountService } from './payoneer-account.service';
import { PayoneerAccountsController } from './payoneer-accounts.controller';
import { PayoneerAuthGuard } from './payoneer-auth.guard';
import { PayoneerNotifier } from './payoneer-notifier.service';
import { PayoneerOAuthController } from './payoneer-oauth.controller';
import { PayoneerOAuthService } from './payoneer-oauth.service';
import { PayoneerPayeesService } from './payoneer-payees.service';
import { PayoneerPayoutsService } from './payoneer-payouts.service';
import { PayoneerProgramsController } from './payoneer-programs.controller';

/** The Payoneer simulator (login host and v4 API host under one prefix). */
@Module({
  controllers: [PayoneerOAuthController, PayoneerProgramsController, PayoneerAccountsController],
  providers: [
    PayoneerOAuthService,
    PayoneerAuthGuard,
    PayoneerAccountService,
    PayoneerPayeesService,
    PayoneerPayoutsService,
    PayoneerNotifier,
  ],
  exports: [
    PayoneerOAuthService,
    PayoneerAccountService,
    PayoneerPayeesService,
    PayoneerPayoutsService,
  ],
})
export class PayoneerModule {}
