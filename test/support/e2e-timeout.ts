// End-to-end suites start real processes (PostgreSQL, Kafka, the runtime): allow them time.
jest.setTimeout(120_000);
