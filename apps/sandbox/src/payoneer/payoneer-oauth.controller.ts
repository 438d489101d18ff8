import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PayoneerOAuthService } from './payoneer-oauth.service';

/** The login host's OAuth2 endpoints (`login.payoneer.com/api/v2/oauth2/*`). */
@ApiTags('Payoneer (simulated)')
@Controller('payoneer/api/v2/oauth2')
export class PayoneerOAuthController {
  constructor(@Inject(PayoneerOAuthService) private readonly oauth: PayoneerOAuthService) {}

  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Client-credentials token: Basic client_id:client_secret (or both in the body), grant_type=client_credentials, form or JSON',
  })
  token(@Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    return this.oauth.issue({ authorization, body: asRecord(body) });
  }

  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a token (token=...)' })
  revoke(@Body() body: unknown) {
    this.oauth.revoke(asRecord(body));
    return {};
  }
}

function asRecord(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}
