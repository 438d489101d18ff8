import { EventBusInputError } from '../event-bus.errors';
import { KafkaEventBus, type KafkaEventBusOptions } from './kafka-event-bus';

// Option checks happen in the constructor, before any connection: no broker needed here.
const options = (overrides: Partial<KafkaEventBusOptions>): KafkaEventBusOptions => ({
  brokers: ['127.0.0.1:9092'],
  clientId: 'spec',
  ...overrides,
});

describe('KafkaEventBus options', () => {
  it('refuses a broker that is not host:port, naming its index', () => {
    expect(() => new KafkaEventBus(options({ brokers: ['127.0.0.1:9092', 'kafka'] }))).toThrow(
      new EventBusInputError('KafkaEventBus options: brokers[1] must be host:port, got "kafka"'),
    );
  });

  it.each([-1, 2.5, Number.NaN])('refuses commitIntervalMs %p', (commitIntervalMs) => {
    expect(() => new KafkaEventBus(options({ commitIntervalMs }))).toThrow(
      /KafkaEventBus options: commitIntervalMs must be a whole number of milliseconds >= 0/,
    );
  });

  it('takes commitIntervalMs 0 (commit as often as batches finish)', () => {
    expect(() => new KafkaEventBus(options({ commitIntervalMs: 0 }))).not.toThrow();
  });
});
