import { SetMetadata } from '@nestjs/common';
import type { RuntimeConfig } from '../config/runtime-config';

export const PUBLIC_ROUTE = 'switchboard:public-route';

export interface PublicRouteOptions {
  /** Which rate limit applies, counted per client address; default none. */
  rateLimit?: 'ingress';
  /** The route is public only while this holds (e.g. `/metrics` unless `metrics.requireApiKey`). */
  when?: (config: RuntimeConfig) => boolean;
}

/** Serves a route without an API key: health probes, Prometheus and webhooks (which verify a signature instead). */
export function PublicRoute(options: PublicRouteOptions = {}): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_ROUTE, options);
}
