import { Body, Controller, HttpCode, Injectable, NestMiddleware, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppConfig } from '../../config/app-config';
import { Public } from '../../common/current-actor.decorator';
import { DomainError, ErrorCode } from '../../common/errors';
import { TelegramGateway } from '../api/telegram-gateway.api';
import { UpdateAudit } from './update-audit';
import { SecretCheck, webhookSecret } from './webhook-secret';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Runs before the body is read, so a caller without the secret learns nothing, not even whether its JSON parsed. */
@Injectable()
export class WebhookSecretMiddleware implements NestMiddleware {
  private readonly check: SecretCheck;

  constructor(
    config: AppConfig,
    private readonly audit: UpdateAudit,
  ) {
    this.check = new SecretCheck(webhookSecret(config));
  }

  use(req: { headers: Record<string, unknown>; ip?: string; socket?: { remoteAddress?: string } }, _res: unknown, next: (err?: unknown) => void): void {
    const given = req.headers[SECRET_HEADER];
    if (this.check.matches(given)) return next();
    this.audit.rejected(given === undefined ? 'missing secret' : 'wrong secret', req.ip ?? req.socket?.remoteAddress, given);
    next(new DomainError(ErrorCode.Unauthorized, 'Invalid webhook secret'));
  }
}

/** Telegram's door: 200 as soon as the update is journaled; never 410 (Telegram would drop the webhook). */
@ApiExcludeController()
@Controller()
export class WebhookController {
  constructor(private readonly gateway: TelegramGateway) {}

  @Public()
  @Post('tg/webhook')
  @HttpCode(200)
  async receive(@Body() body: unknown): Promise<{ ok: true }> {
    await this.gateway.accept(body, 'webhook');
    return { ok: true };
  }
}
