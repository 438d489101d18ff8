import { Body, Controller, Get, Inject, Param, Put, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClarityApiError } from './clarity-api.error';
import { toActionResponse } from './clarity-action-result';
import { ClarityAuthGuard } from './clarity-auth.guard';
import { ClarityCatalogService } from './clarity-catalog.service';
import { asId } from './clarity-input';
import { type ClarityAccount } from './clarity.models';
import { paginate, pickParam, readClarityListQuery } from './clarity-paging';
import { CLARITY_CONTROLLER_PATHS } from './clarity-routes';
import { accountToWire, commissionToWire, productToWire } from './clarity-wire';

/** Clarity accounts (customers, vendors, affiliates), what they are owed, and products. */
@ApiTags('Clarity eCommerce (simulated)')
@UseGuards(ClarityAuthGuard)
@Controller(CLARITY_CONTROLLER_PATHS)
export class ClarityAccountsController {
  constructor(@Inject(ClarityCatalogService) private readonly catalog: ClarityCatalogService) {}

  @Get('Accounts/Accounts')
  @ApiOperation({
    summary: 'List accounts: TypeKey (Customer|Vendor|Affiliate), ModifiedSince, Paging.*',
  })
  list(@Query() query: Record<string, unknown>) {
    const listQuery = readClarityListQuery(query, 'GetAccounts');
    const accounts = this.catalog.listAccounts({
      typeKey: pickParam(query, 'TypeKey') || undefined,
      modifiedSinceMs: listQuery.modifiedSinceMs,
    });
    const page = paginate(accounts, listQuery);
    return { ...page, Results: page.Results.map((account) => this.toWire(account)) };
  }

  @Get('Accounts/Account/ID/:id')
  @ApiOperation({ summary: 'Get an account by ID, with BalanceOwed' })
  getById(@Param('id') id: string) {
    const account = asId(id) === undefined ? undefined : this.catalog.getAccount(Number(id));
    if (!account) throw new ClarityApiError(404, 'NotFound', `Account with ID ${id} was not found`);
    return this.toWire(account);
  }

  @Get('Accounts/Account/Key/:key')
  @ApiOperation({ summary: 'Get an account by CustomKey' })
  getByKey(@Param('key') key: string) {
    const account = this.catalog.findAccountByKey(key);
    if (!account)
      throw new ClarityApiError(404, 'NotFound', `Account with Key ${key} was not found`);
    return this.toWire(account);
  }

  @Get('Accounts/Commissions')
  @ApiOperation({
    summary:
      'List affiliate commissions and vendor balances: AccountID, StatusKey (Unpaid|Paid), TypeKey, ModifiedSince, Paging.*',
  })
  commissions(@Query() query: Record<string, unknown>) {
    const listQuery = readClarityListQuery(query, 'GetCommissions');
    const accountId = pickParam(query, 'AccountID');
    const page = paginate(
      this.catalog.listCommissions({
        accountId: accountId ? Number(accountId) : undefined,
        statusKey: pickParam(query, 'StatusKey') || undefined,
        typeKey: pickParam(query, 'TypeKey') || undefined,
        modifiedSinceMs: listQuery.modifiedSinceMs,
      }),
      listQuery,
    );
    return { ...page, Results: page.Results.map(commissionToWire) };
  }

  @Put('Accounts/Commission/Update')
  @ApiOperation({ summary: 'Mark a commission Paid/Unpaid {ID, StatusKey, PaymentReference?}' })
  updateCommission(@Body() body: unknown) {
    return toActionResponse(this.catalog.updateCommission(body), commissionToWire);
  }

  @Get('Products/Products')
  @ApiOperation({ summary: 'List products: Paging.*' })
  products(@Query() query: Record<string, unknown>) {
    const page = paginate(this.catalog.listProducts(), readClarityListQuery(query, 'GetProducts'));
    return { ...page, Results: page.Results.map(productToWire) };
  }

  @Get('Products/Product/ID/:id')
  @ApiOperation({ summary: 'Get a product by ID' })
  product(@Param('id') id: string) {
    const product = asId(id) === undefined ? undefined : this.catalog.getProduct(Number(id));
    if (!product) throw new ClarityApiError(404, 'NotFound', `Product with ID ${id} was not found`);
    return productToWire(product);
  }

  private toWire(account: ClarityAccount) {
    return accountToWire(
      account,
      this.catalog.balanceOwed(account.ID),
      this.catalog.lastChangeMs(account),
    );
  }
}
