import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { MerchantScenarioService } from './merchant-scenario.service';

/** Bounded demo traffic settings. */
export interface TrafficSpec {
  ordersPerSecond: number;
  durationSeconds?: number;
  maxOrders?: number;
  paidRatio: number;
}

/** What the traffic generator is doing. */
export interface TrafficState {
  running: boolean;
  ordersPerSecond: number;
  ordersCreated: number;
  ordersPaid: number;
  startedAt?: string;
  stoppedAt?: string;
  stopReason?: string;
}

/** Places random orders at a fixed rate in real time until a bound is reached or it is stopped. */
@Injectable()
export class TrafficService implements OnModuleDestroy {
  private readonly logger = new Logger('Traffic');
  private timer: NodeJS.Timeout | undefined;
  private state: TrafficState = {
    running: false,
    ordersPerSecond: 0,
    ordersCreated: 0,
    ordersPaid: 0,
  };

  constructor(
    @Inject(MerchantScenarioService) private readonly scenario: MerchantScenarioService,
  ) {}

  /** Starts (or restarts) traffic. */
  start(spec: TrafficSpec): TrafficState {
    this.stop('restarted');
    const startedMs = Date.now();
    this.state = {
      running: true,
      ordersPerSecond: spec.ordersPerSecond,
      ordersCreated: 0,
      ordersPaid: 0,
      startedAt: new Date(startedMs).toISOString(),
    };
    this.timer = setInterval(
      () => {
        if (
          spec.durationSeconds !== undefined &&
          Date.now() - startedMs >= spec.durationSeconds * 1000
        )
          return this.stop('duration reached');
        try {
          const outcome = this.scenario.placeRandomOrder(spec.paidRatio);
          if (!outcome) return this.stop('no customers or products: seed a merchant first');
          this.state.ordersCreated += 1;
          if (outcome.paid) this.state.ordersPaid += 1;
        } catch (error) {
          this.logger.error(`traffic stopped: ${(error as Error).message}`);
          return this.stop(`error: ${(error as Error).message}`);
        }
        if (spec.maxOrders !== undefined && this.state.ordersCreated >= spec.maxOrders)
          this.stop('maxOrders reached');
      },
      Math.max(1, Math.round(1000 / spec.ordersPerSecond)),
    );
    this.timer.unref();
    return this.status();
  }

  /** Stops traffic, if running. */
  stop(reason = 'stopped'): TrafficState {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.state.running)
      this.state = {
        ...this.state,
        running: false,
        stoppedAt: new Date().toISOString(),
        stopReason: reason,
      };
    return this.status();
  }

  /** Current state. */
  status(): TrafficState {
    return { ...this.state };
  }

  onModuleDestroy(): void {
    this.stop('sandbox closed');
  }
}
