import { type AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';
import { SYSTEM_BASE_PATHS } from './common/simulated-system';
import { FaultInjector } from './faults/fault-injector.service';
import { installFaultInjection } from './faults/fault-injection.hook';
import { SandboxModule } from './sandbox.module';
import {
  resolveSandboxOptions,
  type SandboxCredentials,
  type SandboxOptions,
} from './sandbox-options';

const BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/** A running sandbox. */
export interface SandboxHandle {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Base URLs connectors are configured with. */
  urls: { clarity: string; payoneer: string; erp: string; control: string; docs: string };
  credentials: SandboxCredentials;
  webhookSecret: string;
  seed: number;
  /** Stops the server, timers, traffic and webhook retries. */
  close(): Promise<void>;
}

/** Starts the Clarity, Payoneer and ERP simulators on one HTTP server. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const resolved = resolveSandboxOptions(options);
  const app = await NestFactory.create<NestFastifyApplication>(
    SandboxModule.forRoot(resolved),
    new FastifyAdapter({ forceCloseConnections: true, bodyLimit: BODY_LIMIT_BYTES }),
    { logger: resolved.logger ? ['log', 'warn', 'error'] : ['error'], abortOnError: false },
  );
  registerBodyParsers(app);
  const heldRequests = installFaultInjection(
    app.getHttpAdapter().getInstance(),
    app.get(FaultInjector),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchboard sandbox')
      .setDescription(
        'Simulated Clarity eCommerce, Payoneer and ERPNext APIs, plus the /_sandbox control API (faults, scenarios, clock, webhooks).',
      )
      .setVersion('1.0')
      .build(),
  );
  SwaggerModule.setup('_sandbox/docs', app, document);
  await app.listen(resolved.port, resolved.host);

  const { port } = app.getHttpServer().address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const url = `http://${host}:${port}`;
  return {
    url,
    port,
    urls: {
      clarity: `${url}${SYSTEM_BASE_PATHS.clarity}`,
      payoneer: `${url}${SYSTEM_BASE_PATHS.payoneer}`,
      erp: `${url}${SYSTEM_BASE_PATHS.erp}`,
      control: `${url}/_sandbox`,
      docs: `${url}/_sandbox/docs`,
    },
    credentials: resolved.credentials,
    webhookSecret: resolved.webhookSecret,
    seed: resolved.seed,
    close: async () => {
      heldRequests.releaseAll();
      await app.close();
    },
  };
}

// Payoneer's own sample posts a form-encoded body labelled application/json to the token
// endpoint, so that one route falls back to form parsing; everywhere else bad JSON is a 400.
function registerBodyParsers(app: NestFastifyApplication): void {
  app.useBodyParser(
    'application/json',
    { bodyLimit: BODY_LIMIT_BYTES },
    (request: FastifyRequest, body: Buffer, done) => {
      const text = body.toString('utf8');
      if (text.trim() === '') return done(null, {});
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        if (/\/oauth2\/(token|revoke)$/.test(request.url.split('?', 1)[0] ?? ''))
          return done(null, parseQueryString(text));
        const failure = error as Error & { statusCode?: number };
        failure.statusCode = 400;
        done(failure, undefined);
      }
    },
  );
  app.useBodyParser(
    'application/x-www-form-urlencoded',
    { bodyLimit: BODY_LIMIT_BYTES },
    (_request, body: Buffer, done) => {
      done(null, parseQueryString(body.toString('utf8')));
    },
  );
}
