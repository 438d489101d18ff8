import type { Producer, ProducerBatch } from 'kafkajs';
import { ProduceCoalescer } from './produce-coalescer';

/** Stands in for the network only: records each produce request and answers when told to. */
function recordingProducer(): {
  producer: Producer;
  requests: ProducerBatch[];
  answer: (error?: Error) => void;
} {
  const requests: ProducerBatch[] = [];
  const waiting: Array<(error?: Error) => void> = [];
  const producer = {
    sendBatch: (batch: ProducerBatch) => {
      requests.push(batch);
      return new Promise((resolve, reject) =>
        waiting.push((error) => (error ? reject(error) : resolve([]))),
      );
    },
  } as unknown as Producer;
  return { producer, requests, answer: (error) => waiting.shift()?.(error) };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ProduceCoalescer', () => {
  it('sends the first publish at once and the ones that arrive meanwhile together, in publish order', async () => {
    const { producer, requests, answer } = recordingProducer();
    const coalescer = new ProduceCoalescer(producer);
    const first = coalescer.send('orders', [{ key: 'a', value: '1' }]);
    expect(requests).toHaveLength(1);
    const later = [
      coalescer.send('orders', [{ key: 'a', value: '2' }]),
      coalescer.send('payments', [{ key: 'b', value: '3' }]),
      coalescer.send('orders', [{ key: 'a', value: '4' }]),
    ];
    answer();
    await first;
    await flush();
    expect(requests).toHaveLength(2);
    expect(requests[1]!.topicMessages).toEqual([
      {
        topic: 'orders',
        messages: [
          { key: 'a', value: '2' },
          { key: 'a', value: '4' },
        ],
      },
      { topic: 'payments', messages: [{ key: 'b', value: '3' }] },
    ]);
    expect(requests[1]!.acks).toBe(-1);
    answer();
    await Promise.all(later);
  });

  it('rejects every publish of a failed request and still sends the ones queued behind it', async () => {
    const { producer, requests, answer } = recordingProducer();
    const coalescer = new ProduceCoalescer(producer);
    const failing = coalescer.send('orders', [{ value: '1' }]);
    const behind = coalescer.send('orders', [{ value: '2' }]);
    answer(new Error('broker gone'));
    await expect(failing).rejects.toThrow('broker gone');
    await flush();
    expect(requests).toHaveLength(2);
    answer();
    await expect(behind).resolves.toBeUndefined();
  });

  it('caps a request at maxMessagesPerRequest without splitting a publish', async () => {
    const { producer, requests, answer } = recordingProducer();
    const coalescer = new ProduceCoalescer(producer, 3);
    const sends = [coalescer.send('t', [{ value: '0' }])];
    for (let i = 1; i <= 4; i += 1)
      sends.push(coalescer.send('t', [{ value: `${i}a` }, { value: `${i}b` }]));
    for (let round = 0; round < 4; round += 1) {
      answer();
      await flush();
    }
    expect(requests.map((r) => r.topicMessages![0]!.messages.length)).toEqual([1, 2, 2, 2, 2]);
    answer();
    await Promise.all(sends);
  });
});
