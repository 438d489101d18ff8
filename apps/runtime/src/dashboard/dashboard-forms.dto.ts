import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** The login form: one API key. */
export class DashboardLoginForm {
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  apiKey!: string;
}

/** The replay button's form: the DLQ filter to come back to. */
export class DashboardReplayForm {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  dlqFlow?: string;
}

/** The discard button's form: why the dead letter is dropped (kept in the audit log). */
export class DashboardDiscardForm extends DashboardReplayForm {
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

/** Query of the dashboard page: the transaction search box. */
export class DashboardPageQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  notice?: string;

  /** Show only this flow's dead letters. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  dlqFlow?: string;
}

/** The payout queue pause form: which currency, and why (kept in the audit log). */
export class DashboardPauseQueueForm {
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

/** The review queue's dismiss button: why the item is closed without a match (audited). */
export class DashboardDismissReviewForm {
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}
