import { Module } from '@nestjs/common';
import { ErpAuthGuard } from './erp-auth.guard';
import { ErpMethodController } from './erp-method.controller';
import { ErpResourceController } from './erp-resource.controller';
import { ErpStoreService } from './erp-store.service';
import { JournalEntryService } from './journal-entry.service';

/** The ERP simulator in ERPNext/Frappe REST shape. */
@Module({
  controllers: [ErpResourceController, ErpMethodController],
  providers: [ErpAuthGuard, ErpStoreService, JournalEntryService],
  exports: [ErpStoreService, JournalEntryService],
})
export class ErpModule {}
