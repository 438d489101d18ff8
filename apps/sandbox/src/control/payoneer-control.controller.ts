import Decimal from 'decimal.js';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  UsePipes,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { controlValidationPipe } from '../common/control-validation.pipe';
import { FxRates, UnknownCurrencyError } from '../common/fx-rates';
import { PayoneerAccountService } from '../payoneer/payoneer-account.service';
import { PayoneerPayeesService } from '../payoneer/payoneer-payees.service';
import { transactionToWire } from '../payoneer/payoneer-wire';
import {
  DrainDto,
  FundDto,
  FxRatesDto,
  PayeeStatusDto,
  ReceivedPaymentDto,
  RegisterPayeeDto,
} from './control.dto';

/** Test hooks on the Payoneer side: funding, payees, received payments, and the shared FX table. */
@ApiTags('Sandbox control')
@UsePipes(controlValidationPipe)
@Controller('_sandbox')
export class PayoneerControlController {
  constructor(
    @Inject(PayoneerAccountService) private readonly account: PayoneerAccountService,
    @Inject(PayoneerPayeesService) private readonly payees: PayoneerPayeesService,
    @Inject(FxRates) private readonly fx: FxRates,
  ) {}

  @Post('payoneer/fund')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add money to a Payoneer balance' })
  fund(@Body() body: FundDto) {
    return transactionToWire(this.account.fund(body.currency, new Decimal(body.amount)), true);
  }

  @Post('payoneer/drain')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw from a Payoneer balance (default: all of it)' })
  drain(@Body() body: DrainDto) {
    const amount = body.amount === undefined ? undefined : new Decimal(body.amount);
    if (amount?.gt(this.account.available(body.currency)))
      throw new BadRequestException(`amount exceeds the ${body.currency} balance`);
    return transactionToWire(this.account.drain(body.currency, amount), true);
  }

  @Post('payoneer/payees')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register a payee directly (default ACTIVE)' })
  registerPayee(@Body() body: RegisterPayeeDto) {
    if (this.payees.get(body.payeeId))
      throw new BadRequestException(`payee ${body.payeeId} already exists`);
    return this.payees.register(body);
  }

  @Post('payoneer/payees/:payeeId/status')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a payee to ACTIVE / INACTIVE / PENDING (emits PayeeApproved / PayeeDeclined)',
  })
  payeeStatus(@Param('payeeId') payeeId: string, @Body() body: PayeeStatusDto) {
    return this.payees.setStatus(payeeId, body.status);
  }

  @Post('payoneer/received-payments')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a payment into the account (fees and FX applied as for real ones)',
  })
  receive(@Body() body: ReceivedPaymentDto) {
    if (
      !this.fx.knows(body.currency) ||
      (body.creditCurrency !== undefined && !this.fx.knows(body.creditCurrency))
    ) {
      throw new BadRequestException(
        'currency and creditCurrency must have an exchange rate (see /_sandbox/fx-rates)',
      );
    }
    const transaction = this.account.receivePayment({
      amount: new Decimal(body.amount),
      currency: body.currency,
      creditCurrency: body.creditCurrency,
      paymentReference: body.paymentReference,
      description: body.description ?? `Payment ${body.paymentReference}`,
      note: body.note,
      payerName: body.payerName ?? 'Sandbox Payer',
    });
    return transactionToWire(transaction, true);
  }

  @Get('fx-rates')
  @ApiOperation({ summary: 'The shared exchange-rate table (USD value of one unit)' })
  rates() {
    return { rates: this.fx.list() };
  }

  @Put('fx-rates')
  @ApiOperation({
    summary:
      'Set rates (USD value of one unit); the ERP Currency Exchange table follows on the next reset',
  })
  setRates(@Body() body: FxRatesDto) {
    try {
      this.fx.set(body.rates);
    } catch (error) {
      if (error instanceof UnknownCurrencyError) throw new BadRequestException(error.message);
      throw error;
    }
    return { rates: this.fx.list() };
  }
}
