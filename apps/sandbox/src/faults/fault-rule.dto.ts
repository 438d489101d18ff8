import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';
import { SIMULATED_SYSTEMS, type SimulatedSystem } from '../common/simulated-system';
import { FAULT_KINDS, type FaultKind } from './fault-rule';

/** POST /_sandbox/faults */
export class FaultRuleDto {
  @ApiProperty({ enum: SIMULATED_SYSTEMS }) @IsIn(SIMULATED_SYSTEMS) system!: SimulatedSystem;
  @ApiPropertyOptional({
    description:
      '"METHOD /path" below the system base (globs *, **, :param) or an event name glob; default *',
  })
  @IsOptional()
  @IsString()
  route?: string;
  @ApiProperty({ enum: FAULT_KINDS }) @IsIn(FAULT_KINDS) kind!: FaultKind;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) count?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  probability?: number;
  @ApiPropertyOptional({ minimum: 0, description: 'let this many matches pass first' })
  @IsOptional()
  @IsInt()
  @Min(0)
  after?: number;
  @ApiPropertyOptional({ nullable: true, description: 'Retry-After for 429/503; null sends none' })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsInt()
  @Min(0)
  retryAfterSeconds?: number | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 600000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  delayMs?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() seed?: number;
}
