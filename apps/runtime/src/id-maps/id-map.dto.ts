import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** Body of `PUT /api/id-maps/:namespace/:sourceId`. */
export class PutIdMapEntryDto {
  @ApiProperty({ description: 'the id in the other system, e.g. the Payoneer payee id', example: 'VEND-0001' })
  @IsString() @MinLength(1) @MaxLength(256)
  targetId!: string;
}

/** One id-map entry as the API shows it. */
export interface IdMapEntryView {
  namespace: string;
  sourceId: string;
  targetId: string;
  origin: 'first_sight' | 'api';
  createdAt: string;
  updatedAt: string;
}
