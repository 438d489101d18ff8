// The sandbox's programmatic surface, for the runtime's tests and the demo command.
export { startSandbox, type SandboxHandle } from './sandbox';
export {
  resolveSandboxOptions,
  SANDBOX_DEFAULT_CREDENTIALS,
  SANDBOX_DEFAULT_WEBHOOK_SECRET,
  type SandboxCredentials,
  type SandboxOptions,
} from './sandbox-options';
export {
  SANDBOX_SIGNATURE_HEADER,
  signSandboxPayload,
  verifySandboxSignature,
} from './webhooks/webhook-signature';
export {
  payoneerHmacAuthorization,
  verifyPayoneerHmacAuthorization,
  PAYONEER_IPCN_APP_NAME,
} from './webhooks/payoneer-hmac-auth';
