import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SANDBOX_OPTIONS } from '../common/sandbox-options.token';
import { type ResolvedSandboxOptions } from '../sandbox-options';
import { PayoneerAccountService } from './payoneer-account.service';
import { PayoneerApiError } from './payoneer-api.error';
import { PayoneerAuthGuard } from './payoneer-auth.guard';
import { assertAccount } from './payoneer-program';
import { balanceToWire, transactionToWire } from './payoneer-wire';

const MAX_PAGE_SIZE = 500;

/** Account-level APIs: balances by currency and transactions (received payments with fees and FX). */
@ApiTags('Payoneer (simulated)')
@UseGuards(PayoneerAuthGuard)
@Controller('payoneer/v4/accounts/:accountId')
export class PayoneerAccountsController {
  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    @Inject(PayoneerAccountService) private readonly account: PayoneerAccountService,
  ) {}

  @Get('balances')
  @ApiOperation({ summary: 'Balances by currency' })
  balances(@Param('accountId') accountId: string) {
    assertAccount(accountId, this.options.credentials.payoneer.accountId);
    const items = this.account.listBalances().map(balanceToWire);
    return { result: { items, total: items.length } };
  }

  @Get('transactions')
  @ApiOperation({
    summary:
      'Transactions newest first: from, to, page_size, include_details, page; follow result.transactions.next',
  })
  transactions(
    @Param('accountId') accountId: string,
    @Query() query: Record<string, string | undefined>,
  ) {
    assertAccount(accountId, this.options.credentials.payoneer.accountId);
    const fromMs = readDate(query.from, 'from');
    const toMs = readDate(query.to, 'to', true);
    const pageSize = readPositive(query.page_size, 'page_size', 50);
    if (pageSize > MAX_PAGE_SIZE)
      throw invalid('page_size', `page_size must be at most ${MAX_PAGE_SIZE}`);
    const page = readPositive(query.page, 'page', 1);
    const includeDetails = query.include_details === 'true';
    const all = this.account.listTransactions({ fromMs, toMs });
    const items = all
      .slice((page - 1) * pageSize, page * pageSize)
      .map((transaction) => transactionToWire(transaction, includeDetails));
    let next: string | null = null;
    if (page * pageSize < all.length) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query))
        if (value !== undefined && key !== 'page') params.set(key, value);
      params.set('page', String(page + 1));
      next = `/v4/accounts/${accountId}/transactions?${params.toString()}`;
    }
    return { result: { transactions: { items, total: all.length, next } } };
  }
}

function readDate(value: string | undefined, name: string, endOfDay = false): number | undefined {
  if (value === undefined || value === '') return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(
    dateOnly ? `${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : value,
  );
  if (Number.isNaN(ms))
    throw invalid(name, `${name} must be a date (YYYY-MM-DD) or an ISO-8601 date-time`);
  return ms;
}

function readPositive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw invalid(name, `${name} must be a positive integer`);
  return Number(value);
}

function invalid(target: string, message: string): PayoneerApiError {
  return new PayoneerApiError(400, message, {
    code: 400,
    sub_code: 1000,
    errors: [{ code: 1000, target, message }],
  });
}
