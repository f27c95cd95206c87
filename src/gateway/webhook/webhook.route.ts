import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { DomainError, ErrorCode } from '../../common/errors';
import { toErrorBody } from '../../infra/http/http-exception.filter';
import { TelegramGateway } from '../api/telegram-gateway.api';
import { UpdateAudit } from './update-audit';
import { WEBHOOK_PATH } from './update-sources';
import { SecretCheck, webhookSecret } from './webhook-secret';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Telegram updates are a few KB; anything near this is not one. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * `POST /tg/webhook` as a plain Fastify route rather than a Nest controller: the hot path skips the
 * generic HTTP pipeline (guards, interceptors, per-request logger) and answers as soon as the update
 * is journaled. The secret is checked in onRequest, before the body is even read; 401 for any
 * mismatch (audited), 413 over the limit, 400 for malformed JSON or a non-update, 503 when the
 * journal cannot be written. Never 410: Telegram would drop the webhook.
 */
@Injectable()
export class WebhookRoute implements OnModuleInit {
  private readonly check: SecretCheck;

  constructor(
    config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly gateway: TelegramGateway,
    private readonly audit: UpdateAudit,
  ) {
    this.check = new SecretCheck(webhookSecret(config));
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.route({
      method: 'POST',
      url: `/${WEBHOOK_PATH}`,
      bodyLimit: WEBHOOK_BODY_LIMIT,
      logLevel: 'silent',
      onRequest: (req, reply, done) => {
        const given = req.headers[SECRET_HEADER];
        if (this.check.matches(given)) return done();
        this.audit.rejected(given === undefined ? 'missing secret' : 'wrong secret', req.ip, given);
        this.fail(reply, new DomainError(ErrorCode.Unauthorized, 'Invalid webhook secret'));
      },
      errorHandler: (err, _req, reply) => this.fail(reply, err),
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        try {
          await this.gateway.accept(req.body, 'webhook');
          return reply.code(200).send({ ok: true });
        } catch (err) {
          return this.fail(reply, err);
        }
      },
    });
  }

  private fail(reply: FastifyReply, err: unknown): FastifyReply {
    const body = toErrorBody(err, undefined);
    // A 5xx here can only mean "try again": Telegram retries, dedupe absorbs what did get through.
    const status = body.statusCode >= 500 ? 503 : body.statusCode;
    return reply.code(status).header('content-type', 'application/json').send({ ...body, statusCode: status });
  }
}
