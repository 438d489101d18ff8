import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  UsePipes,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { controlValidationPipe } from '../common/control-validation.pipe';
import { FaultRuleDto } from './fault-rule.dto';
import { FaultInjector, FaultRuleError } from './fault-injector.service';

/** `/_sandbox/faults`: add, list and clear fault rules; read what fired. */
@ApiTags('Sandbox control')
@UsePipes(controlValidationPipe)
@Controller('_sandbox/faults')
export class FaultsController {
  constructor(@Inject(FaultInjector) private readonly faults: FaultInjector) {}

  @Post()
  @ApiOperation({ summary: 'Add a fault rule' })
  add(@Body() rule: FaultRuleDto) {
    try {
      return this.faults.add(rule);
    } catch (error) {
      if (error instanceof FaultRuleError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  @Get()
  @ApiOperation({ summary: 'List rules with matched / fired / remaining counters' })
  list() {
    return { rules: this.faults.list() };
  }

  @Get('log')
  @ApiOperation({ summary: 'Every firing so far (rule, kind, target, time)' })
  log() {
    return { injections: this.faults.log() };
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove every rule and the firing log' })
  clear(): void {
    this.faults.clear();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove one rule' })
  remove(@Param('id') id: string): void {
    if (!this.faults.remove(id)) throw new NotFoundException(`fault rule ${id} does not exist`);
  }
}
