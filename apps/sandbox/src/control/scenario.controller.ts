import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Post,
  UsePipes,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { controlValidationPipe } from '../common/control-validation.pipe';
import { RandomSource } from '../common/random-source';
import { SandboxClock } from '../common/sandbox-clock';
import { ResetDto, SeedMerchantDto, StartTrafficDto } from './control.dto';
import { MerchantScenarioService } from './merchant-scenario.service';
import { SandboxResetService } from './sandbox-reset.service';
import { TrafficService } from './traffic.service';

/** Scenario control: reset, seed a merchant, drive traffic. */
@ApiTags('Sandbox control')
@UsePipes(controlValidationPipe)
@Controller('_sandbox')
export class ScenarioController {
  constructor(
    @Inject(SandboxResetService) private readonly resetter: SandboxResetService,
    @Inject(MerchantScenarioService) private readonly scenario: MerchantScenarioService,
    @Inject(TrafficService) private readonly traffic: TrafficService,
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(SandboxClock) private readonly clock: SandboxClock,
  ) {}

  @Post('reset')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Reset every simulator (faults, webhooks, data); optional new seed. Sessions, tokens and the clock survive.',
  })
  reset(@Body() body: ResetDto) {
    return { seed: this.resetter.reset(body.seed), now: this.clock.now().toISOString() };
  }

  @Post('scenarios/merchant')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Seed customers, vendors, affiliates (with Payoneer payees), products and N orders across currencies',
  })
  seedMerchant(@Body() body: SeedMerchantDto) {
    if (body.inactivePayees + body.pendingPayees > body.vendors + body.affiliates) {
      throw new BadRequestException(
        'inactivePayees + pendingPayees must not exceed vendors + affiliates',
      );
    }
    if (body.reset) this.resetter.reset();
    try {
      return { seed: this.random.seed, merchant: this.scenario.seed(body) };
    } catch (error) {
      throw new BadRequestException((error as Error).message);
    }
  }

  @Post('traffic')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Start bounded order traffic (ordersPerSecond ≤ 50, durationSeconds ≤ 3600, maxOrders ≤ 100000)',
  })
  startTraffic(@Body() body: StartTrafficDto) {
    return this.traffic.start(body);
  }

  @Get('traffic')
  @ApiOperation({ summary: 'Traffic state' })
  trafficStatus() {
    return this.traffic.status();
  }

  @Delete('traffic')
  @ApiOperation({ summary: 'Stop traffic' })
  stopTraffic() {
    return this.traffic.stop();
  }
}
