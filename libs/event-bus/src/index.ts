export * from './event-bus.port';
export * from './event-bus.errors';
export * from './bus-logger';
export * from './memory/memory-event-bus';
export * from './contract/event-bus.contract';
export * from './kafka/kafka-event-bus';
