import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { FaultInjector } from '../faults/fault-injector.service';
import { FaultsController } from '../faults/faults.controller';
import { type ResolvedSandboxOptions } from '../sandbox-options';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';
import { WebhooksController } from '../webhooks/webhooks.controller';
import { DomainEvents } from './domain-events';
import { FxRates } from './fx-rates';
import { RandomSource } from './random-source';
import { SandboxClock } from './sandbox-clock';
import { SANDBOX_OPTIONS } from './sandbox-options.token';

/** Starts the real-time clock ticker once everything is wired, stops it on close. */
@Injectable()
class ClockTicker implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(SandboxClock) private readonly clock: SandboxClock) {}

  onApplicationBootstrap(): void {
    this.clock.start();
  }

  onModuleDestroy(): void {
    this.clock.stop();
  }
}

/** What every simulator shares: options, clock, seeded randomness, FX, domain events, faults, webhooks. */
@Global()
@Module({})
export class SandboxCoreModule {
  /** Binds the resolved options. */
  static forRoot(options: ResolvedSandboxOptions): DynamicModule {
    const shared = [
      { provide: SANDBOX_OPTIONS, useValue: options },
      { provide: SandboxClock, useFactory: () => new SandboxClock(options.clock) },
      { provide: RandomSource, useFactory: () => new RandomSource(options.seed) },
      { provide: FxRates, useFactory: () => new FxRates() },
      { provide: DomainEvents, useFactory: () => new DomainEvents() },
      FaultInjector,
      WebhookDispatcher,
    ];
    return {
      module: SandboxCoreModule,
      controllers: [FaultsController, WebhooksController],
      providers: [...shared, ClockTicker],
      exports: [
        SANDBOX_OPTIONS,
        SandboxClock,
        RandomSource,
        FxRates,
        DomainEvents,
        FaultInjector,
        WebhookDispatcher,
      ],
    };
  }
}
