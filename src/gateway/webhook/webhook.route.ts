import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { DomainError, ErrorCode } from '../../common/errors';
import { clientAddress, proxyTrust } from '../../infra/http/client-address';
import { BodyTooLarge, FrontDoor, readBody, sendJson } from '../../infra/http/front-door';
import { toErrorBody } from '../../infra/http/http-exception.filter';
import { traceIdFrom } from '../../infra/cls/trace';
import { TelegramGateway } from '../api/telegram-gateway.api';
import { UpdateAudit } from './update-audit';
import { WEBHOOK_PATH } from './update-sources';
import { SecretCheck, webhookSecret } from './webhook-secret';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Telegram updates are a few KB; anything near this is not one. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
const OK_BODY = '{"ok":true}';
const UNAVAILABLE = 'The update could not be stored; retry later';

/**
 * `POST /tg/webhook`, answered at the front door (the Node server, before Fastify and Nest): the
 * hot path needs none of the generic HTTP pipeline (routing, hooks, request context, per-request
 * logger) and answers as soon as the update is journaled. The secret is checked before the body is
 * read; 401 for any mismatch (audited), 413 over the limit, 400 for malformed JSON or a non-update,
 * 503 when the journal cannot be written. Never 410: Telegram would drop the webhook.
 */
@Injectable()
export class WebhookRoute implements OnModuleInit {
  private readonly logger = new Logger(WebhookRoute.name);
  private readonly check: SecretCheck;
  private readonly addressOf: (req: IncomingMessage) => string | undefined;

  constructor(
    config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly gateway: TelegramGateway,
    private readonly audit: UpdateAudit,
  ) {
    this.check = new SecretCheck(webhookSecret(config));
    this.addressOf = clientAddress(proxyTrust(config.trustProxy));
  }

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    const frontDoor = FrontDoor.of(adapter);
    if (!frontDoor) {
      this.logger.error(
        'the HTTP adapter was not created by createAdapter(): POST /tg/webhook is not served',
      );
      return;
    }
    frontDoor.add('POST', `/${WEBHOOK_PATH}`, (req, res) => void this.handle(req, res), {
      bodyLimit: WEBHOOK_BODY_LIMIT,
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = req.headers[SECRET_HEADER];
    if (!this.check.matches(given)) {
      this.audit.rejected(
        given === undefined ? 'missing secret' : 'wrong secret',
        this.addressOf(req),
        given,
      );
      req.resume();
      return this.fail(res, new DomainError(ErrorCode.Unauthorized, 'Invalid webhook secret'));
    }
    let json: string;
    let update: unknown;
    try {
      json = await readBody(req, WEBHOOK_BODY_LIMIT);
      update = JSON.parse(json);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        return this.fail(
          res,
          new DomainError(ErrorCode.PayloadTooLarge, `The body is over ${WEBHOOK_BODY_LIMIT} bytes`),
          {
            connection: 'close',
          },
        );
      }
      // JSON.parse's message quotes the input: never echo what was posted.
      return this.fail(res, DomainError.invalid('The body is not valid JSON'));
    }
    try {
      await this.gateway.accept(update, 'webhook', json);
    } catch (err) {
      return this.fail(res, err);
    }
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': OK_BODY.length,
    });
    res.end(OK_BODY);
  }

  private fail(res: ServerResponse, err: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    const { statusCode, code, message } = toErrorBody(err, undefined);
    const traceId = traceIdFrom(res.req.headers['x-request-id']);
    if (statusCode >= 500) {
      // A 5xx here can only mean "try again": Telegram retries, dedupe absorbs what did get through.
      // Why it failed (the Redis client's words) is never told to whoever is posting.
      const body = { statusCode: 503, code: ErrorCode.ServiceUnavailable, message: UNAVAILABLE, traceId };
      return sendJson(res, 503, body, { ...headers, 'x-request-id': traceId });
    }
    sendJson(
      res,
      statusCode,
      { statusCode, code, message, traceId },
      { ...headers, 'x-request-id': traceId },
    );
  }
}
