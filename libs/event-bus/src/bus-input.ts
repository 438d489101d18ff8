import { EventBusInputError } from './event-bus.errors';
import type { OutgoingMessage, SubscribeOptions } from './event-bus.port';

// Checks shared by every transport, so input the demo bus accepts is input Kafka accepts too.

// Kafka's own rule for topic names.
const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Throws EventBusInputError unless `name` is a topic name Kafka accepts; `where` says who passed it. */
export function assertTopicName(name: unknown, where: string): asserts name is string {
  if (typeof name !== 'string' || !LEGAL_TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new EventBusInputError(
      `${where}: topic name ${JSON.stringify(name)} is not valid (1-249 characters of a-z, A-Z, 0-9, '.', '_', '-')`,
    );
  }
}

/** Throws EventBusInputError unless `count` is a whole number of at least 1. */
export function assertPositiveInteger(
  count: unknown,
  what: string,
  where: string,
): asserts count is number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new EventBusInputError(
      `${where}: ${what} must be a whole number >= 1, got ${String(count)}`,
    );
  }
}

/** Throws EventBusInputError naming the message index and field when a message's key or headers are malformed. */
export function assertOutgoingMessages(
  topic: string,
  messages: unknown,
): asserts messages is OutgoingMessage[] {
  const where = `publish to '${topic}'`;
  assertTopicName(topic, where);
  if (!Array.isArray(messages)) {
    throw new EventBusInputError(`${where}: messages must be an array, got ${typeof messages}`);
  }
  messages.forEach((message: unknown, index) => {
    if (typeof message !== 'object' || message === null) {
      throw new EventBusInputError(`${where}: messages[${index}] must be an object with a value`);
    }
    const { key, headers, value } = message as Record<string, unknown>;
    if (key !== undefined && key !== null && typeof key !== 'string') {
      throw new EventBusInputError(
        `${where}: messages[${index}].key must be a string or null, got ${typeof key}`,
      );
    }
    if (value === undefined) {
      throw new EventBusInputError(
        `${where}: messages[${index}].value is missing (use null for an empty value)`,
      );
    }
    if (headers === undefined) return;
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
      throw new EventBusInputError(
        `${where}: messages[${index}].headers must be an object of strings`,
      );
    }
    for (const [name, headerValue] of Object.entries(headers)) {
      if (typeof headerValue !== 'string') {
        throw new EventBusInputError(
          `${where}: messages[${index}].headers.${name} must be a string, got ${typeof headerValue}`,
        );
      }
    }
  });
}

/** Throws EventBusInputError naming the bad field when subscribe options are malformed. */
export function assertSubscribeOptions<T>(options: SubscribeOptions<T>): void {
  const where = `subscribe(groupId ${JSON.stringify(options.groupId)})`;
  if (typeof options.groupId !== 'string' || options.groupId.trim() === '') {
    throw new EventBusInputError(`${where}: groupId must be a non-empty string`);
  }
  if (!Array.isArray(options.topics) || options.topics.length === 0) {
    throw new EventBusInputError(`${where}: topics must be a non-empty array of topic names`);
  }
  options.topics.forEach((topic, index) => assertTopicName(topic, `${where}: topics[${index}]`));
  if (typeof options.handler !== 'function') {
    throw new EventBusInputError(`${where}: handler must be a function`);
  }
  if (options.keyConcurrency !== undefined)
    assertPositiveInteger(options.keyConcurrency, 'keyConcurrency', where);
}
