import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { LevelWithSilent } from 'pino';

export class ServerConfig {
  @IsString() @MinLength(1) host: string = '127.0.0.1';
  @IsInt() @Min(0) @Max(65535) port: number = 3000;
}

export class EmbeddedDatabaseConfig {
  @IsString() @MinLength(1) dataDir: string = '.data/postgres';
  @IsOptional() @IsInt() @Min(1) @Max(65535) port?: number;
}

export class DatabaseConfig {
  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'url must start with postgres://' })
  url?: string;
  /** Schema that holds Switchboard's tables (default public); lets several runtimes share one database. */
  @IsOptional() @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'schema must be lower-case letters, digits and _' })
  schema?: string;
  @ValidateNested() @Type(() => EmbeddedDatabaseConfig)
  embedded: EmbeddedDatabaseConfig = new EmbeddedDatabaseConfig();
}

export class KafkaConfig {
  @IsArray() @IsString({ each: true }) brokers: string[] = [];
  @IsString() @MinLength(1) clientId: string = 'switchboard';
  @IsInt() @Min(1) partitions: number = 6;
  @IsInt() @Min(1) replicationFactor: number = 1;
}

const MAX_BACKLOG = { message: 'maxBacklogPerPartition must be a whole number from 1 to 1000000' };

export class MemoryBusConfig {
  /**
   * Events a partition of the memory bus may hold that a flow worker has not handled yet; beyond
   * it the ingress answers 503 with Retry-After instead of filling the process's memory.
   */
  @IsInt(MAX_BACKLOG) @Min(1, MAX_BACKLOG) @Max(1_000_000, MAX_BACKLOG) maxBacklogPerPartition: number = 2_500;
}

export class BusConfig {
  @IsIn(['memory', 'kafka']) transport: 'memory' | 'kafka' = 'memory';
  @ValidateNested() @Type(() => KafkaConfig) kafka: KafkaConfig = new KafkaConfig();
  @ValidateNested() @Type(() => MemoryBusConfig) memory: MemoryBusConfig = new MemoryBusConfig();
}

export class FlowsConfig {
  @IsString() @MinLength(1) dir: string = 'config/flows';
  @IsString() @MinLength(1) mappingsDir: string = 'mappings';
  @IsBoolean() hotReload: boolean = true;
}

export class IngressConfig {
  @IsInt() @Min(1024) @Max(64 * 1024 * 1024) bodyLimitBytes: number = 1024 * 1024;
}

export class ExecutionsConfig {
  @IsInt() @Min(1) @Max(10_000) flushIntervalMs: number = 50;
  @IsInt() @Min(1) @Max(10_000) maxBatch: number = 500;
}

export class RetryConfig {
  @IsInt() @Min(0) inlineMaxMs: number = 2000;
}

const KEY_CONCURRENCY = { message: 'keyConcurrency must be a whole number from 1 to 256' };

/** Flow workers. */
export class WorkerConfig {
  /**
   * Events of one bus partition handled at the same time: different keys side by side, each key
   * strictly in order (a retrying event holds only its key). 1 = the whole partition in order.
   */
  @IsInt(KEY_CONCURRENCY) @Min(1, KEY_CONCURRENCY) @Max(256, KEY_CONCURRENCY) keyConcurrency: number = 16;
}

/** One connector plugin and how to reach the system it speaks to. */
export class PluginConfig {
  /** A folder (e.g. connectors/clarity) or an installed npm package name. */
  @IsString() @MinLength(1) module!: string;
  /** Base URL of the remote API. */
  @IsString() @Matches(/^https?:\/\//, { message: 'baseUrl must be an http(s) URL' }) baseUrl!: string;
  /** Tried in order when the ones before are down. */
  @IsOptional() @IsArray() @Matches(/^https?:\/\//, { each: true, message: 'fallbackBaseUrls must be http(s) URLs' })
  fallbackBaseUrls?: string[];
  /** The connector's own settings, validated against the schema it declares. */
  @IsOptional() @IsObject() settings?: Record<string, unknown>;
  /** Overrides of the connector's HTTP defaults (timeouts, retries, rate limit). */
  @IsOptional() @IsObject() http?: Record<string, unknown>;
}

/** Requests one client may make within a window; 0 turns a limit off. */
export class RateLimitConfig {
  @IsInt() @Min(1000) windowMs: number = 60_000;
  /** Admin API requests per API key (per address when no valid key is given). */
  @IsInt() @Min(0) api: number = 1200;
  /** Webhook deliveries per sender address. */
  @IsInt() @Min(0) ingress: number = 6000;
}

/** API keys and rate limits. */
export class AccessConfig {
  /** An admin key accepted from first boot, stored hashed (env SB_BOOTSTRAP_ADMIN_KEY); `sb_` and 20+ url-safe characters. */
  @IsOptional() @Matches(/^sb_[A-Za-z0-9_-]{20,}$/, { message: 'bootstrapAdminKey must be "sb_" followed by at least 20 letters, digits, "_" or "-"' })
  bootstrapAdminKey?: string;
  @ValidateNested() @Type(() => RateLimitConfig) rateLimit: RateLimitConfig = new RateLimitConfig();
}

/** Prometheus `/metrics`. */
export class MetricsConfig {
  /** Ask for a viewer API key on /metrics; off by default, as scrapers usually sit on a trusted network like /health probes. */
  @IsBoolean() requireApiKey: boolean = false;
}

/** Alert rules and where alerts are delivered. */
export class AlertsConfig {
  /** Slack-compatible incoming webhook (`{text, blocks}`); alerts are stored and listed even when unset (env SB_ALERT_WEBHOOK_URL). */
  @IsOptional() @Matches(/^https?:\/\//, { message: 'webhookUrl must be an http(s) URL' }) webhookUrl?: string;
  /** Handlebars template of the message text; fields: id, rule, severity, subject, message, count, details. */
  @IsString() @MinLength(1) template: string = '[{{severity}}] {{rule}} — {{subject}}: {{message}}';
  /** Repeats of the same rule + subject within this window count into one alert instead of a new one. */
  @IsInt() @Min(0) dedupeWindowMs: number = 15 * 60_000;
  @IsInt() @Min(100) @Max(60_000) deliveryTimeoutMs: number = 5000;
  /** Consumer-group lag (messages) above which `lag_over_threshold` fires (Kafka transport). */
  @IsInt() @Min(1) lagThreshold: number = 10_000;
  /** How often lag and connector health are checked for alerts; 0 turns the checks off. */
  @IsInt() @Min(0) checkIntervalMs: number = 60_000;
}

/** How often the payout jobs run (ms); 0 turns one off. Each run holds a Postgres advisory lock, so one instance runs it at a time. */
export class PayoutScheduleConfig {
  /** Send queued items in chunks (and recover items left `submitted` by a crash). */
  @IsInt() @Min(0) @Max(3_600_000) processQueuesMs: number = 10_000;
  /** Resume queues paused for funds once the balance covers their next chunk. */
  @IsInt() @Min(0) @Max(3_600_000) pollPausedQueuesMs: number = 60_000;
  /** Ask Payoneer about pending items without news (fallback for lost notifications). */
  @IsInt() @Min(0) @Max(3_600_000) pollStatusesMs: number = 60_000;
  /** Publish final item statuses (canonical.payout.v1) from the transition log. */
  @IsInt() @Min(0) @Max(3_600_000) publishStatusesMs: number = 5_000;
}

/** Retries of a rate-limited or transient Payoneer call by the payout services (on top of the connector's own). */
export class PayoutRetryConfig {
  @IsInt() @Min(1) @Max(100) maxAttempts: number = 8;
  @IsInt() @Min(0) @Max(600_000) initialDelayMs: number = 200;
  @IsInt() @Min(0) @Max(3_600_000) maxDelayMs: number = 30_000;
}

/** Mass payouts (libs/payouts): the Payoneer account paid from, chunking, schedule and approval. */
export class PayoutsConfig {
  /** Off by default: the runtime then neither schedules payout jobs nor serves /api/payouts. */
  @IsBoolean() enabled: boolean = false;
  /** The Payoneer account (program id) the queues belong to. */
  @IsOptional() @IsString() @MinLength(1) account?: string;
  /** Connector ids of the plugins used for payouts. */
  @IsString() @MinLength(1) payoneerConnector: string = 'payoneer';
  @IsString() @MinLength(1) clarityConnector: string = 'clarity';
  /** Items per mass-payout request (Payoneer takes at most 500). */
  @IsInt() @Min(1) @Max(500) chunkSize: number = 50;
  @IsArray() @ArrayUnique() @Matches(/^[A-Z]{3}$/, { each: true, message: 'supportedCurrencies must be ISO-4217 codes (e.g. EUR)' })
  supportedCurrencies: string[] = ['USD', 'EUR', 'GBP'];
  /** An item left `submitted` this long without an answer is checked with Payoneer (and resent if unknown). */
  @IsInt() @Min(0) @Max(86_400_000) recoverSubmittedAfterMs: number = 60_000;
  /** A `pending` item without news this long is polled. */
  @IsInt() @Min(0) @Max(604_800_000) statusPollAfterMs: number = 300_000;
  @IsInt() @Min(1) @Max(10_000) statusPollLimit: number = 200;
  /** Status lookups in flight at once while polling; kept small because Payoneer's rate limit is unknown. */
  @IsInt() @Min(1) @Max(100) statusPollConcurrency: number = 4;
  /** Topic final item statuses are published on (canonical.payout@1), read by canonical-payout-to-clarity. */
  @IsString() @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'statusTopic must be a topic name (letters, digits, . _ -)' })
  statusTopic: string = 'canonical.payout.v1';
  /** Per currency: batches whose total is above this amount need an admin key to approve; others an operator key. */
  @IsOptional() @IsObject() adminApprovalAbove?: Record<string, string>;
  @ValidateNested() @Type(() => PayoutRetryConfig) retry: PayoutRetryConfig = new PayoutRetryConfig();
  @ValidateNested() @Type(() => PayoutScheduleConfig) schedule: PayoutScheduleConfig = new PayoutScheduleConfig();
}

/** Ledger accounts of reconciliation entries: ERP account names or the ERP connector's roles ("@feesExpense"). */
export class ReconciliationAccountsConfig {
  @IsString() @MinLength(1) cash: string = '@payoneerClearing';
  @IsString() @MinLength(1) fees: string = '@feesExpense';
  @IsString() @MinLength(1) revenue: string = '@revenue';
  @IsString() @MinLength(1) fxDifference: string = '@fxGainLoss';
  /** Where reviewers' adjustments are written off; the ERP connector has no role for it, so name the account. */
  @IsString() @MinLength(1) adjustments: string = 'Write Off';
}

/**
 * Revenue reconciliation (docs/reconciliation.md): thresholds pass through to the engine's
 * ReconciliationConfig (unset ones keep its defaults); the connectors post entries and order statuses.
 */
export class ReconciliationRuntimeConfig {
  @IsBoolean() enabled: boolean = false;
  /** Connector (plugin id) whose postJournalEntry action posts the entries. */
  @IsString() @MinLength(1) erpConnector: string = 'erp';
  /** Connector whose updateOrderStatus action marks reconciled orders. */
  @IsString() @MinLength(1) clarityConnector: string = 'clarity';
  /** Currency of the ERP's books: entries in another currency are converted with the configured FX rates of their posting date. */
  @Matches(/^[A-Z]{3}$/, { message: 'booksCurrency must be a three-letter currency code such as USD' })
  booksCurrency: string = 'USD';
  /** Status a reconciled order gets in Clarity. */
  @IsString() @MinLength(1) reconciledStatus: string = 'Reconciled';
  /** How often unmatched items are swept into review and unposted entries are retried; 0 turns it off. */
  @IsInt() @Min(0) sweepIntervalMs: number = 15 * 60_000;
  /** Attempts per ERP posting or Clarity status update (transient and rate-limited failures), the first included. */
  @IsInt() @Min(1) @Max(20) postingMaxAttempts: number = 8;
  /** First back-off between attempts (doubling, full jitter, up to postingMaxBackoffMs). */
  @IsInt() @Min(1) postingInitialBackoffMs: number = 200;
  @IsInt() @Min(1) postingMaxBackoffMs: number = 30_000;
  @IsOptional() @IsNumber() autoPostThreshold?: number;
  @IsOptional() @IsNumber() reviewThreshold?: number;
  @IsOptional() @IsNumber() minimumMargin?: number;
  @IsOptional() @IsString() roundingTolerance?: string;
  @IsOptional() @IsString() fxTolerance?: string;
  @IsOptional() @IsNumber() minimumReferenceSimilarity?: number;
  @IsOptional() @IsNumber() dateWindowDays?: number;
  @IsOptional() @IsNumber() dateWindowBeforeDays?: number;
  @IsOptional() @IsNumber() unmatchedReviewAfterHours?: number;
  /** The canonical-fee-to-erp flow posts each Payoneer fee on its own, so revenue entries leave fees out; false books them in the revenue entry. */
  @IsBoolean() feesPostedSeparately: boolean = true;
  @ValidateNested() @Type(() => ReconciliationAccountsConfig)
  accounts: ReconciliationAccountsConfig = new ReconciliationAccountsConfig();
  @IsOptional() @IsString() @MinLength(1) company?: string;
  @IsOptional() @IsString() @MinLength(1) costCenter?: string;
}

/** Everything the runtime reads from config/runtime.yaml and the environment, validated once at boot. */
export class RuntimeConfig {
  @IsIn(['demo', 'production']) mode: 'demo' | 'production' = 'demo';
  @ValidateNested() @Type(() => ServerConfig) server = new ServerConfig();
  @ValidateNested() @Type(() => DatabaseConfig) database = new DatabaseConfig();
  @ValidateNested() @Type(() => BusConfig) bus = new BusConfig();
  @ValidateNested() @Type(() => FlowsConfig) flows = new FlowsConfig();
  @ValidateNested() @Type(() => IngressConfig) ingress = new IngressConfig();
  @ValidateNested() @Type(() => ExecutionsConfig) executions = new ExecutionsConfig();
  @ValidateNested() @Type(() => RetryConfig) retry = new RetryConfig();
  @ValidateNested() @Type(() => WorkerConfig) worker = new WorkerConfig();
  @ValidateNested() @Type(() => AccessConfig) access: AccessConfig = new AccessConfig();
  @ValidateNested() @Type(() => MetricsConfig) metrics: MetricsConfig = new MetricsConfig();
  @ValidateNested() @Type(() => AlertsConfig) alerts: AlertsConfig = new AlertsConfig();
  @ValidateNested() @Type(() => PayoutsConfig) payouts: PayoutsConfig = new PayoutsConfig();
  @ValidateNested() @Type(() => ReconciliationRuntimeConfig)
  reconciliation: ReconciliationRuntimeConfig = new ReconciliationRuntimeConfig();
  /** Connector plugins to load at boot. */
  @IsArray() @ArrayUnique((plugin: PluginConfig) => plugin.module) @ValidateNested({ each: true }) @Type(() => PluginConfig)
  plugins: PluginConfig[] = [];
  /** Master key for secrets at rest (base64, 32 bytes), from SB_MASTER_KEY only. */
  @IsOptional() @IsString() masterKey?: string;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) logLevel: LevelWithSilent = 'info';
}
