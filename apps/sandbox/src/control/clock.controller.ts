import { Body, Controller, Get, HttpCode, Inject, Post, UsePipes } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { controlValidationPipe } from '../common/control-validation.pipe';
import { SandboxClock } from '../common/sandbox-clock';
import { ClarityAuthService } from '../clarity/clarity-auth.service';
import { PayoneerOAuthService } from '../payoneer/payoneer-oauth.service';
import { AdvanceClockDto, ExpireAuthDto } from './control.dto';

/** Simulated time and auth expiry, so tests need not sleep. */
@ApiTags('Sandbox control')
@UsePipes(controlValidationPipe)
@Controller('_sandbox')
export class ClockController {
  constructor(
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(ClarityAuthService) private readonly clarityAuth: ClarityAuthService,
    @Inject(PayoneerOAuthService) private readonly payoneerAuth: PayoneerOAuthService,
  ) {}

  @Get('clock')
  @ApiOperation({ summary: 'Current simulated time' })
  now() {
    return { now: this.clock.now().toISOString() };
  }

  @Post('clock/advance')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Move simulated time forward by ms and/or seconds; due payouts settle before this answers',
  })
  advance(@Body() body: AdvanceClockDto) {
    return {
      now: this.clock
        .advance((body.ms ?? 0) + Math.round((body.seconds ?? 0) * 1000))
        .toISOString(),
    };
  }

  @Post('auth/expire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Invalidate every Clarity session or Payoneer token now' })
  expire(@Body() body: ExpireAuthDto) {
    return {
      expired:
        body.system === 'clarity' ? this.clarityAuth.expireAll() : this.payoneerAuth.expireAll(),
    };
  }
}
