import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { isProducerStateError } from './kafka-event-bus';

function protocolError(type: string): KafkaJSProtocolError {
  return new KafkaJSProtocolError(
    Object.assign(new Error(`broker says ${type}`), { type, code: 45, retriable: false }),
  );
}

describe('isProducerStateError', () => {
  it('recognises the broker refusing the producer id or its sequence numbers', () => {
    expect(isProducerStateError(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER'))).toBe(true);
    expect(isProducerStateError(protocolError('UNKNOWN_PRODUCER_ID'))).toBe(true);
    expect(isProducerStateError(protocolError('INVALID_PRODUCER_EPOCH'))).toBe(true);
  });

  it('looks through the retry wrapper kafkajs puts around the last failure', () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(
      protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER'),
      { retryCount: 5, retryTime: 1000 },
    );
    expect(isProducerStateError(wrapped)).toBe(true);
  });

  it('leaves other failures to the normal unavailable path', () => {
    expect(isProducerStateError(protocolError('NOT_LEADER_FOR_PARTITION'))).toBe(false);
    expect(isProducerStateError(new Error('Connection timeout'))).toBe(false);
    expect(isProducerStateError('OUT_OF_ORDER_SEQUENCE_NUMBER')).toBe(false);
  });
});
