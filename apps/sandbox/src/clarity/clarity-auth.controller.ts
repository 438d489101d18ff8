import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { parseCookies } from '../common/request-cookies';
import { ClarityApiError } from './clarity-api.error';
import { ClarityAuthService } from './clarity-auth.service';
import { field } from './clarity-input';
import { CLARITY_CONTROLLER_PATHS } from './clarity-routes';
import { displayText } from '../common/display-text';

/** ServiceStack's `/auth` service: credentials login and logout. */
@ApiTags('Clarity eCommerce (simulated)')
@Controller(CLARITY_CONTROLLER_PATHS)
export class ClarityAuthController {
  constructor(@Inject(ClarityAuthService) private readonly auth: ClarityAuthService) {}

  @Post('auth/credentials')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in with {UserName, Password, RememberMe}; sets ss-id / ss-pid cookies',
  })
  credentials(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.login(body, reply);
  }

  @Post('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with {provider: "credentials", UserName, Password}' })
  authenticate(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const provider = field(body, 'provider');
    if (provider !== undefined && displayText(provider).toLowerCase() !== 'credentials') {
      throw new ClarityApiError(
        401,
        'Unauthorized',
        `No configuration was added for OAuth provider '${displayText(provider)}'`,
      );
    }
    return this.login(body, reply);
  }

  @Get('auth/logout')
  @ApiOperation({ summary: 'End the session' })
  logoutGet(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.logout(request, reply);
  }

  @Post('auth/logout')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the session' })
  logoutPost(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.logout(request, reply);
  }

  private login(body: unknown, reply: FastifyReply) {
    const rememberMe = field(body, 'RememberMe') === true || field(body, 'RememberMe') === 'true';
    const { session } = this.auth.login(
      field(body, 'UserName'),
      field(body, 'Password'),
      rememberMe,
    );
    void reply.header('set-cookie', [
      `ss-id=${session.id}; path=/; samesite=lax; httponly`,
      `ss-pid=${session.permanentId}; expires=Fri, 31 Dec 2049 00:00:00 GMT; path=/; samesite=lax; httponly`,
      `ss-opt=${rememberMe ? 'perm' : 'temp'}; expires=Fri, 31 Dec 2049 00:00:00 GMT; path=/; samesite=lax; httponly`,
    ]);
    return {
      UserId: '1',
      SessionId: session.id,
      UserName: session.userName,
      DisplayName: session.userName,
      ReferrerUrl: '',
      ResponseStatus: {},
    };
  }

  private logout(request: FastifyRequest, reply: FastifyReply) {
    this.auth.logout({ cookies: parseCookies(request.headers.cookie), authorization: undefined });
    void reply.header('set-cookie', [
      'ss-id=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/',
      'ss-pid=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/',
    ]);
    return { ResponseStatus: {} };
  }
}
