// The connector SDK's public surface: connectors and the runtime import only from here.
export * from './sdk-version';

export * from './errors/connector-error';
export * from './errors/connector-definition-error';
export * from './errors/connector-plugin-error';

export * from './schema/json-schema';

export * from './define/connector-context';
export * from './define/trigger-event';
export * from './define/define-action';
export * from './define/define-trigger';
export * from './define/define-connector';
export * from './define/validate-connector-plugin';
export * from './define/connector-manifest';

export * from './auth/secret-resolver';
export * from './auth/token-store';
export * from './auth/in-memory-token-store';
export * from './auth/token-manager';
export * from './auth/auth-strategy';
export * from './auth/oauth2-client-credentials.strategy';
export * from './auth/api-key.strategy';
export * from './auth/basic-auth.strategy';
export * from './auth/session-login.strategy';
export * from './auth/no-auth.strategy';

export * from './http/http-request';
export * from './http/http-policy';
export * from './http/http-status-error';
export * from './http/http-client';
export * from './http/retry-after';
export * from './http/full-jitter-backoff';
export * from './http/rate-limiter';

export * from './observe/connector-logger';
export * from './observe/connector-observer';
export * from './observe/redactor';

export * from './webhook/webhook-request';
export * from './webhook/replay-cache';
export * from './webhook/hmac-signature';

export * from './runtime/connector-instance';

export * from './conformance/describe-connector';

export * from './scaffold/scaffold-error';
export * from './scaffold/scaffold-connector';
