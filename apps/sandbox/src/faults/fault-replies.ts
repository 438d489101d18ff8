import { type SimulatedReply } from '../common/simulated-api.error';
import { type SimulatedSystem } from '../common/simulated-system';
import { ClarityApiError } from '../clarity/clarity-api.error';
import { PayoneerApiError } from '../payoneer/payoneer-api.error';
import { FrappeApiError } from '../erp/frappe-api.error';
import { type FaultRule } from './fault-rule';

const GATEWAY_TITLES: Record<number, string> = {
  502: '502 Bad Gateway',
  503: '503 Service Temporarily Unavailable',
};

/** The reply a status-code fault produces, shaped like the system (or its gateway) would send it. */
export function faultReply(
  system: SimulatedSystem,
  rule: FaultRule,
  sequence: number,
): SimulatedReply {
  const status = Number(rule.kind);
  const retryAfter =
    rule.retryAfterSeconds === undefined ? (status === 429 ? 1 : null) : rule.retryAfterSeconds;
  const headers: Record<string, string> = { 'x-sandbox-fault': `${rule.id} ${rule.kind}` };
  if (retryAfter !== null && (status === 429 || status === 503))
    headers['retry-after'] = String(retryAfter);

  // A gateway in front of the real systems answers 502/503 itself, with an HTML page.
  const title = GATEWAY_TITLES[status];
  if (title !== undefined) {
    const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
    return { status, headers, body, contentType: 'text/html' };
  }
  const reply = systemError(system, status).toReply(sequence);
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

function systemError(system: SimulatedSystem, status: number) {
  const tooMany = status === 429;
  switch (system) {
    case 'clarity':
      return tooMany
        ? new ClarityApiError(429, 'TooManyRequests', 'Too many requests, please retry later')
        : new ClarityApiError(500, 'Exception', 'An unexpected error occurred on the server');
    case 'payoneer':
      return tooMany
        ? new PayoneerApiError(429, 'Too many requests', { code: 429 })
        : new PayoneerApiError(500, 'Internal server error', { code: 500 });
    case 'erp':
      // Frappe's site-wide limiter answers a plain-text 429 (frappe/rate_limiter.py).
      return tooMany
        ? FrappeApiError.plainText(429, 'Too Many Requests')
        : new FrappeApiError('Exception', 'Internal Server Error', 500);
  }
}
