import { Module } from '@nestjs/common';
import { ClarityModule } from '../clarity/clarity.module';
import { ErpModule } from '../erp/erp.module';
import { PayoneerModule } from '../payoneer/payoneer.module';
import { ClockController } from './clock.controller';
import { CommerceBridge } from './commerce-bridge.service';
import { MerchantScenarioService } from './merchant-scenario.service';
import { PayoneerControlController } from './payoneer-control.controller';
import { RecordsController } from './records.controller';
import { SandboxResetService } from './sandbox-reset.service';
import { ScenarioController } from './scenario.controller';
import { TrafficService } from './traffic.service';

/** The sandbox's own `/_sandbox` API and the cross-system money path. */
@Module({
  imports: [ClarityModule, PayoneerModule, ErpModule],
  controllers: [ScenarioController, RecordsController, ClockController, PayoneerControlController],
  providers: [CommerceBridge, MerchantScenarioService, TrafficService, SandboxResetService],
})
export class ControlModule {}
