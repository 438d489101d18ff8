import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import {
  Body,
  Controller,
  Get,
  Logger,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyService } from '../access/api-key.service';
import type { ApiPrincipal } from '../access/api-principal';
import { PublicRoute } from '../access/public-route.decorator';
import { roleAllows } from '../access/role-allows';
import { DeadLetterStateError } from '../dlq/dead-letter.service';
import {
  DashboardDiscardForm,
  DashboardDismissReviewForm,
  DashboardLoginForm,
  DashboardPageQuery,
  DashboardPauseQueueForm,
  DashboardReplayForm,
} from './dashboard-forms.dto';
import { dashboardKeyFrom, loginCookie, logoutCookie } from './dashboard-session';
import { DashboardService } from './dashboard.service';
import { ParseCurrencyPipe } from './parse-currency.pipe';
import { DashboardViews } from './dashboard-views';

const ASSETS: Record<string, { file: string; type: string }> = {
  'dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
  'dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
};
const LIVE_INTERVAL_MS = 1000;
const OVERVIEW_WINDOW_MINUTES = 15;
/** Rows per table: enough to see what is going on; the API pages through the rest. */
const TABLE_ROWS = 25;

/**
 * The operator dashboard: server-rendered pages, a live counter stream (SSE) and the DLQ buttons.
 * It signs people in with an API key kept in an HttpOnly cookie; the key's role decides the buttons.
 */
// The API-key guard lets these routes through: the dashboard signs people in with its own cookie.
@PublicRoute()
@ApiExcludeController()
@Controller()
export class DashboardController implements BeforeApplicationShutdown, OnModuleInit {
  private readonly logger = new Logger(DashboardController.name);
  private readonly views = new DashboardViews();
  private readonly liveStreams = new Set<ServerResponse>();
  /** Undefined while access control is not part of the runtime module: then nobody can sign in. */
  private keys: ApiKeyService | undefined;

  constructor(
    private readonly dashboard: DashboardService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    try {
      this.keys = this.moduleRef.get(ApiKeyService, { strict: false });
    } catch (error) {
      this.logger.warn(
        `dashboard sign-in is off: access control is not loaded (${(error as Error).message})`,
      );
    }
  }

  @Get()
  async page(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: DashboardPageQuery,
  ): Promise<void> {
    const user = await this.userOf(request);
    if (user === undefined) return void reply.code(303).redirect('/login');
    const search = (query.q ?? '').trim();
    const dlqFlow = query.dlqFlow === '' ? undefined : query.dlqFlow;
    const [
      flows,
      chart,
      counters,
      transactions,
      executions,
      deadLetters,
      dlqFlows,
      alerts,
      reconciliation,
      payouts,
      fees,
    ] = await Promise.all([
      this.dashboard.flowOverview(OVERVIEW_WINDOW_MINUTES),
      this.dashboard.throughputChart(),
      this.dashboard.counters(),
      this.dashboard.transactions(search, TABLE_ROWS),
      this.dashboard.recentExecutions(),
      this.dashboard.openDeadLetters(dlqFlow, TABLE_ROWS),
      this.dashboard.openDeadLettersByFlow(),
      this.dashboard.alerts(),
      this.dashboard.reconciliation(),
      this.dashboard.payouts(),
      this.dashboard.fees(),
    ]);
    this.html(
      reply,
      200,
      this.views.render('dashboard', {
        title: 'Dashboard',
        user,
        canOperate: canOperate(user),
        notice: query.notice,
        bus: this.dashboard.busDescription(),
        windowMinutes: OVERVIEW_WINDOW_MINUTES,
        flows,
        flowProblems: this.dashboard.flowProblems(),
        chart,
        counters,
        search,
        transactions,
        executions,
        deadLetters,
        dlqFlow,
        dlqFlows: dlqFlows.map((entry) => ({ ...entry, selected: entry.flowId === dlqFlow })),
        alerts,
        reconciliation,
        payouts,
        fees,
      }),
    );
  }

  @Get('login')
  loginPage(@Res() reply: FastifyReply): void {
    this.html(reply, 200, this.loginHtml());
  }

  @Post('login')
  async login(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: DashboardLoginForm,
  ): Promise<void> {
    const user = await this.authenticate(form.apiKey.trim());
    if (user === undefined)
      return this.html(reply, 401, this.loginHtml('That API key is not valid (or was revoked).'));
    reply.header('set-cookie', loginCookie(form.apiKey.trim(), request.protocol === 'https'));
    reply.code(303).redirect('/');
  }

  @Post('logout')
  logout(@Res() reply: FastifyReply): void {
    reply.header('set-cookie', logoutCookie());
    reply.code(303).redirect('/login');
  }

  @Get('dashboard/executions/:id')
  async executionPage(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    const user = await this.userOf(request);
    if (user === undefined) return void reply.code(303).redirect('/login');
    const execution = await this.dashboard.execution(id);
    if (execution === undefined)
      return this.html(
        reply,
        404,
        this.views.render('message', { title: 'Not found', user, message: `No execution ${id}.` }),
      );
    this.html(
      reply,
      200,
      this.views.render('execution', { title: `Execution ${id}`, user, execution }),
    );
  }

  @Post('dashboard/dlq/:id/replay')
  async replay(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() form: DashboardReplayForm,
  ): Promise<void> {
    await this.deadLetterAction(request, reply, id, form.dlqFlow, async (record, user) => {
      await this.dashboard.replay(record, user);
      return `Replayed dead letter ${id} (${record.flowId}, key ${record.key ?? '—'}) on the current flow version.`;
    });
  }

  @Post('dashboard/dlq/:id/discard')
  async discard(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() form: DashboardDiscardForm,
  ): Promise<void> {
    await this.deadLetterAction(request, reply, id, form.dlqFlow, async (record, user) => {
      await this.dashboard.discard(record, form.reason, user);
      return `Discarded dead letter ${id} (${record.flowId}): ${form.reason}`;
    });
  }

  @Post('dashboard/alerts/:id/ack')
  async acknowledgeAlert(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    await this.operatorAction(request, reply, 'acknowledging alerts', '#alerts', async (user) =>
      (await this.dashboard.acknowledgeAlert(id, user))
        ? `Acknowledged alert ${id}.`
        : `Alert ${id} is unknown or was already acknowledged.`,
    );
  }

  @Post('dashboard/reconciliation/review-items/:id/approve')
  async approveReview(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    await this.operatorAction(request, reply, 'resolving review items', '#reconciliation', (user) =>
      this.dashboard.approveReview(id, user),
    );
  }

  @Post('dashboard/reconciliation/review-items/:id/dismiss')
  async dismissReview(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() form: DashboardDismissReviewForm,
  ): Promise<void> {
    await this.operatorAction(request, reply, 'resolving review items', '#reconciliation', (user) =>
      this.dashboard.dismissReview(id, form.reason, user),
    );
  }

  @Post('dashboard/payouts/queues/pause')
  async pausePayoutQueue(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: DashboardPauseQueueForm,
  ): Promise<void> {
    await this.operatorAction(request, reply, 'pausing payout queues', '#payouts', (user) =>
      this.dashboard.pausePayoutQueue(
        form.currency,
        form.note === '' ? undefined : form.note,
        user,
      ),
    );
  }

  @Post('dashboard/payouts/queues/:currency/resume')
  async resumePayoutQueue(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('currency', new ParseCurrencyPipe()) currency: string,
  ): Promise<void> {
    await this.operatorAction(request, reply, 'resuming payout queues', '#payouts', (user) =>
      this.dashboard.resumePayoutQueue(currency, user),
    );
  }

  /** Server-sent events: the live counters, once a second, until the page or the runtime goes away. */
  @Get('dashboard/live')
  async live(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.userOf(request);
    if (user === undefined) {
      reply.code(401).send({
        error: 'unauthorized',
        message: 'log in at /login first',
        details: null,
        path: request.url,
      });
      return;
    }
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    this.liveStreams.add(stream);
    let sending = false;
    const push = async (): Promise<void> => {
      // A slow database must not pile up overlapping queries for one page.
      if (sending) return;
      sending = true;
      try {
        stream.write(
          `event: counters\ndata: ${JSON.stringify(await this.dashboard.counters())}\n\n`,
        );
      } catch (error) {
        this.logger.warn(`live counters failed: ${(error as Error).message}`);
        stream.write(
          `event: problem\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`,
        );
      } finally {
        sending = false;
      }
    };
    const timer = setInterval(() => void push(), LIVE_INTERVAL_MS);
    const stop = (): void => {
      clearInterval(timer);
      this.liveStreams.delete(stream);
    };
    request.raw.on('close', stop);
    stream.on('close', stop);
    await push();
  }

  @Get('dashboard/assets/:name')
  asset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    const asset = ASSETS[name];
    if (asset === undefined) {
      reply.code(404).send({
        error: 'not_found',
        message: `no dashboard asset "${name}"`,
        details: null,
        path: `/dashboard/assets/${name}`,
      });
      return;
    }
    reply
      .type(asset.type)
      .header('cache-control', 'no-cache')
      .send(readFileSync(join(__dirname, 'assets', asset.file)));
  }

  /** Open event streams would hold the HTTP server open: end them before it closes. */
  beforeApplicationShutdown(): void {
    for (const stream of this.liveStreams) stream.end();
    this.liveStreams.clear();
  }

  private async deadLetterAction(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    dlqFlow: string | undefined,
    act: (
      record: NonNullable<Awaited<ReturnType<DashboardService['deadLetter']>>>,
      user: ApiPrincipal,
    ) => Promise<string>,
  ): Promise<void> {
    const user = await this.userOf(request);
    if (user === undefined) return void reply.code(303).redirect('/login');
    if (!canOperate(user)) return this.notAllowed(reply, user, 'replay and discard');
    const record = await this.dashboard.deadLetter(id);
    const back = (notice: string): void =>
      void reply
        .code(303)
        .redirect(
          `/?notice=${encodeURIComponent(notice)}${dlqFlow === undefined || dlqFlow === '' ? '' : `&dlqFlow=${encodeURIComponent(dlqFlow)}`}#dlq`,
        );
    if (record === undefined) return back(`No dead letter ${id}.`);
    let notice: string;
    try {
      notice = await act(record, user);
    } catch (error) {
      if (!(error instanceof DeadLetterStateError)) throw error;
      notice = error.message;
    }
    back(notice);
  }

  /** A button only operators and admins may press: signed in, allowed, then back to the page with a notice. */
  private async operatorAction(
    request: FastifyRequest,
    reply: FastifyReply,
    what: string,
    anchor: string,
    act: (user: ApiPrincipal) => Promise<string>,
  ): Promise<void> {
    const user = await this.userOf(request);
    if (user === undefined) return void reply.code(303).redirect('/login');
    if (!canOperate(user)) return this.notAllowed(reply, user, what);
    const notice = await act(user);
    reply.code(303).redirect(`/?notice=${encodeURIComponent(notice)}${anchor}`);
  }

  private notAllowed(reply: FastifyReply, user: ApiPrincipal, what: string): void {
    this.html(
      reply,
      403,
      this.views.render('message', {
        title: 'Not allowed',
        user,
        message: `Your key's role (${user.role}) can look but not act: ${what} need operator or admin.`,
      }),
    );
  }

  private async userOf(request: FastifyRequest): Promise<ApiPrincipal | undefined> {
    const key = dashboardKeyFrom(request.headers.cookie);
    return key === undefined ? undefined : this.authenticate(key);
  }

  private async authenticate(key: string): Promise<ApiPrincipal | undefined> {
    return key === '' || this.keys === undefined ? undefined : this.keys.authenticate(key);
  }

  private loginHtml(error?: string): string {
    return this.views.render('login', {
      title: 'Sign in',
      error,
      accessMissing: this.keys === undefined,
    });
  }

  private html(reply: FastifyReply, status: number, body: string): void {
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(body);
  }
}

/** Operators and admins may act on dead letters; viewers only look. */
function canOperate(user: ApiPrincipal): boolean {
  return roleAllows(user.role, 'operator');
}
