import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ClarityModule } from './clarity/clarity.module';
import { SandboxCoreModule } from './common/sandbox-core.module';
import { SimulatedApiExceptionFilter } from './common/simulated-api-exception.filter';
import { ControlModule } from './control/control.module';
import { ErpModule } from './erp/erp.module';
import { PayoneerModule } from './payoneer/payoneer.module';
import { type ResolvedSandboxOptions } from './sandbox-options';

/** The whole sandbox: one module per simulated system plus the control API. */
@Module({})
export class SandboxModule {
  /** The sandbox for these options. */
  static forRoot(options: ResolvedSandboxOptions): DynamicModule {
    return {
      module: SandboxModule,
      imports: [
        SandboxCoreModule.forRoot(options),
        ClarityModule,
        PayoneerModule,
        ErpModule,
        ControlModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: SimulatedApiExceptionFilter }],
    };
  }
}
