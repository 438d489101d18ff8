import Decimal from 'decimal.js';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { toMoney } from '../common/money';
import { ERP_COMPANY } from '../erp/erp-chart-of-accounts';
import { ErpStoreService } from '../erp/erp-store.service';
import { withoutNulls } from '../erp/frappe-doc';
import { PayoneerAccountService } from '../payoneer/payoneer-account.service';
import { PayoneerPayoutsService } from '../payoneer/payoneer-payouts.service';
import { transactionToWire, balanceToWire } from '../payoneer/payoneer-wire';
import { displayText } from '../common/display-text';

/** Read-only views tests assert outcomes on: the ERP ledger, payout history, the Payoneer account. */
@ApiTags('Sandbox control')
@Controller('_sandbox')
export class RecordsController {
  constructor(
    @Inject(ErpStoreService) private readonly erp: ErpStoreService,
    @Inject(PayoneerPayoutsService) private readonly payouts: PayoneerPayoutsService,
    @Inject(PayoneerAccountService) private readonly account: PayoneerAccountService,
  ) {}

  @Get('ledger')
  @ApiOperation({
    summary: 'ERP journal entries, GL entries and per-account totals (company currency)',
  })
  ledger() {
    const glEntries = this.erp.all('GL Entry');
    const totals = new Map<string, { debit: Decimal; credit: Decimal }>();
    for (const entry of glEntries) {
      const total = totals.get(String(entry.account)) ?? {
        debit: new Decimal(0),
        credit: new Decimal(0),
      };
      total.debit = total.debit.plus(displayText(entry.debit ?? 0));
      total.credit = total.credit.plus(displayText(entry.credit ?? 0));
      totals.set(String(entry.account), total);
    }
    return {
      company: ERP_COMPANY.name,
      currency: ERP_COMPANY.currency,
      journalEntries: this.erp.all('Journal Entry').map(withoutNulls),
      glEntries: glEntries.map(withoutNulls),
      accounts: [...totals].map(([account, { debit, credit }]) => ({
        account,
        debit: toMoney(debit),
        credit: toMoney(credit),
        balance: toMoney(debit.minus(credit)),
      })),
    };
  }

  @Get('payouts')
  @ApiOperation({ summary: 'Every Payoneer payout with its status history, plus balances' })
  payoutHistory() {
    return {
      payouts: this.payouts.list().map((payout) => ({
        clientReferenceId: payout.clientReferenceId,
        payoutId: payout.payoutId,
        payeeId: payout.payeeId,
        amount: payout.amount,
        currency: payout.currency,
        status: payout.status,
        targetAmount: payout.targetAmount,
        targetCurrency: payout.targetCurrency,
        cancelReasonCode: payout.cancelReasonCode,
        cancelReasonDescription: payout.cancelReasonDescription,
        history: payout.history,
      })),
      balances: this.account.listBalances().map(balanceToWire),
    };
  }

  @Get('payoneer/account')
  @ApiOperation({
    summary: 'Payoneer balances, every transaction (with details) and the received payments',
  })
  payoneerAccount() {
    return {
      balances: this.account.listBalances().map(balanceToWire),
      transactions: this.account
        .listTransactions()
        .map((transaction) => transactionToWire(transaction, true)),
      receivedPayments: this.account
        .receivedPayments()
        .map((transaction) => transactionToWire(transaction, true)),
    };
  }
}
