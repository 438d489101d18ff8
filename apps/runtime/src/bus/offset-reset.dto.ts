import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, ValidateBy } from 'class-validator';

/** Body of `POST /api/bus/flows/:id/offsets/reset`, as Kafka Connect's offset reset offers. */
export class OffsetResetDto {
  @ApiProperty({
    description: '"earliest" (first kept event), "latest" (only new events) or {"timestamp": epoch ms or ISO-8601} (first event at or after it)',
    oneOf: [
      { type: 'string', enum: ['earliest', 'latest'] },
      { type: 'object', required: ['timestamp'], properties: { timestamp: { oneOf: [{ type: 'integer' }, { type: 'string', format: 'date-time' }] } } },
    ],
    example: 'earliest',
  })
  @IsDefined()
  @ValidateBy({
    name: 'isOffsetResetTarget',
    validator: {
      validate: (value: unknown): boolean => value === 'earliest' || value === 'latest' || timestampOf(value) !== undefined,
      defaultMessage: () => 'to must be "earliest", "latest" or {"timestamp": <epoch milliseconds or ISO-8601 date>}',
    },
  })
  to!: 'earliest' | 'latest' | { timestamp: number | string };
}

/** Epoch milliseconds of a `{timestamp}` reset target, or undefined when it is not one. */
export function timestampOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== 1 || entries[0]![0] !== 'timestamp') return undefined;
  const timestamp = entries[0]![1];
  const ms = typeof timestamp === 'number' ? timestamp : typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  return Number.isInteger(ms) && ms >= 0 ? ms : undefined;
}
