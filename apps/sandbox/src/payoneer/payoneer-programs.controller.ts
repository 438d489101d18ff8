import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { FxRates } from '../common/fx-rates';
import { moneyNumber, toMoney } from '../common/money';
import { SANDBOX_OPTIONS } from '../common/sandbox-options.token';
import { locateSystemRoute } from '../common/simulated-system';
import { type ResolvedSandboxOptions } from '../sandbox-options';
import { PayoneerAccountService } from './payoneer-account.service';
import { PayoneerApiError } from './payoneer-api.error';
import { PayoneerAuthGuard } from './payoneer-auth.guard';
import { PayoneerPayeesService } from './payoneer-payees.service';
import { PayoneerPayoutsService } from './payoneer-payouts.service';
import { assertProgram } from './payoneer-program';
import { PAYEE_STATUS } from './payoneer.models';

const STATUS_DESCRIPTIONS: Record<number, string> = {
  [PAYEE_STATUS.PENDING]: 'Pending',
  [PAYEE_STATUS.ACTIVE]: 'Active',
  [PAYEE_STATUS.INACTIVE]: 'Inactive',
};

/** Mass payouts, program balance, payees and exchange rates under `/v4/programs/{program_id}`. */
@ApiTags('Payoneer (simulated)')
@UseGuards(PayoneerAuthGuard)
@Controller('payoneer/v4/programs/:programId')
export class PayoneerProgramsController {
  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    @Inject(PayoneerPayoutsService) private readonly payouts: PayoneerPayoutsService,
    @Inject(PayoneerPayeesService) private readonly payees: PayoneerPayeesService,
    @Inject(PayoneerAccountService) private readonly account: PayoneerAccountService,
    @Inject(FxRates) private readonly fx: FxRates,
  ) {}

  @Post('masspayouts')
  @ApiOperation({
    summary:
      'Submit payouts {Payments: [{client_reference_id, payee_id, amount, currency, description}]}; all-or-nothing; idempotent by client_reference_id',
  })
  submit(
    @Param('programId') programId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    assertProgram(programId, this.options.credentials.payoneer.programId);
    this.payouts.submit(body, {
      method: request.method,
      path: locateSystemRoute(request.url)?.path ?? request.url,
    });
    void reply.code(this.options.payoutSubmitStatus);
    return { result: 'Payments Created' };
  }

  @Get('payouts/:clientReferenceId/status')
  @ApiOperation({ summary: 'Payout status by client_reference_id' })
  status(
    @Param('programId') programId: string,
    @Param('clientReferenceId') clientReferenceId: string,
  ) {
    assertProgram(programId, this.options.credentials.payoneer.programId);
    return { result: this.payouts.status(clientReferenceId) };
  }

  @Put('payouts/:clientReferenceId/cancel')
  @ApiOperation({ summary: 'Request cancellation (performed asynchronously)' })
  cancel(
    @Param('programId') programId: string,
    @Param('clientReferenceId') clientReferenceId: string,
  ) {
    assertProgram(programId, this.options.credentials.payoneer.programId);
    this.payouts.requestCancel(clientReferenceId);
    return {
      result: {
        description:
          'The request was received successfully. The cancel action has not yet been performed.',
      },
    };
  }

  @Get('balance')
  @ApiOperation({ summary: 'Program balance (USD) with fees_due' })
  balance(@Param('programId') programId: string) {
    assertProgram(programId, this.options.credentials.payoneer.programId);
    return {
      result: {
        balance: moneyNumber(toMoney(this.account.available('USD'))),
        currency: 'USD',
        fees_due: 0,
      },
    };
  }

  @Post('payees/registration-link')
  @HttpCode(200)
  @ApiOperation({ summary: 'Registration link for a payee {payee_id}; the payee starts PENDING' })
  registrationLink(
    @Param('programId') programId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    assertProgram(programId, this.options.credentials.payoneer.programId);
    const record =
      body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    return {
      result: this.payees.registrationLink(record, `${request.protocol}://${request.hostname}`),
    };
  }

  @Get('payees/:payeeId/status')
  @ApiOperation({
    summary: 'Payee status: type 0 PENDING, 1 ACTIVE, 99 INACTIVE; unknown payee → 10005',
  })
  payeeStatus(@Param('programId') programId: string, @Param('payeeId') payeeId: string) {
    assertProgram(programId, this.options.credentials.payoneer.programId);
    const payee = this.payees.require(payeeId);
    return {
      result: {
        account_id: payee.accountId ?? null,
        status: { type: payee.status, description: STATUS_DESCRIPTIONS[payee.status] },
        registration_date: payee.registrationDate ?? null,
        payout_method: payee.payoutMethod,
      },
    };
  }

  @Get('payees/:payeeId/details')
  @ApiOperation({ summary: 'Payee details' })
  payeeDetails(@Param('programId') programId: string, @Param('payeeId') payeeId: string) {
    assertProgram(programId, this.options.credentials.payoneer.programId);
    const payee = this.payees.require(payeeId);
    return {
      result: {
        account_id: payee.accountId ?? null,
        type: payee.type,
        contact: payee.contact,
        address: payee.address,
      },
    };
  }

  @Delete('payees/:payeeId')
  @ApiOperation({ summary: 'Release a payee' })
  releasePayee(@Param('programId') programId: string, @Param('payeeId') payeeId: string) {
    assertProgram(programId, this.options.credentials.payoneer.programId);
    this.payees.release(payeeId);
    return { result: { payee_id: payeeId } };
  }

  @Get('exchange-rates')
  @ApiOperation({
    summary: 'SANDBOX ADDITION (no real route found): rate from source_currency to target_currency',
  })
  exchangeRate(
    @Param('programId') programId: string,
    @Query('source_currency') source?: string,
    @Query('target_currency') target?: string,
  ) {
    assertProgram(programId, this.options.credentials.payoneer.programId);
    if (!source || !target || !this.fx.knows(source) || !this.fx.knows(target)) {
      throw new PayoneerApiError(
        400,
        'source_currency and target_currency must be supported ISO-4217 codes',
        { code: 400, sub_code: 1000 },
      );
    }
    return {
      result: {
        source_currency: source,
        target_currency: target,
        rate: this.fx.rate(source, target).toString(),
      },
    };
  }
}
