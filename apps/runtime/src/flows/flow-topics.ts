/** Topic names the runtime owns for a flow. Canonical and DLQ topics come from the flow file. */
export const flowTopics = {
  /** Raw trigger events (webhooks, polls, replays) of one flow. */
  trigger: (flowId: string): string => `sb.in.${flowId}`,
  /** Retries whose back-off is too long to wait for in the worker. */
  delay: (flowId: string): string => `sb.delay.${flowId}`,
  /** Consumer group of a flow's workers. */
  group: (flowId: string): string => `sb.flow.${flowId}`,
};
