import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { UpdateSource } from '../api/telegram-gateway.api';
import type { UpdateFacts } from './update-facts';

export type UpdateOutcome =
  | 'processed'
  | 'duplicate'
  | 'rate_limited'
  | 'rate_limit_notice'
  | 'blocked'
  | 'ignored'
  | 'failed'
  | 'deferred';

export interface UpdateAuditEntry {
  updateId: number;
  source: UpdateSource | 'replay';
  facts: UpdateFacts;
  outcome: UpdateOutcome;
  userId?: number;
  role?: string;
}

const TEXT_PREFIX = 32;

/**
 * One structured log line per update: type, user, chat, trace id, outcome, and only a short prefix of
 * the text. Written through pino itself, not Nest's Logger facade, which added its dispatch to every
 * update's line.
 */
@Injectable()
export class UpdateAudit {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext('TelegramAudit');
  }

  record(entry: UpdateAuditEntry): void {
    const { facts } = entry;
    this.logger.info(
      {
        updateId: entry.updateId,
        traceId: String(entry.updateId),
        source: entry.source,
        type: facts.type,
        outcome: entry.outcome,
        tgId: facts.from?.id,
        userId: entry.userId,
        role: entry.role,
        chatId: facts.chatId,
        text: facts.text === undefined ? undefined : facts.text.slice(0, TEXT_PREFIX),
        textLength: facts.text?.length,
      },
      'tg.update',
    );
  }

  rejected(reason: string, ip: string | undefined, given: unknown): void {
    this.logger.warn(
      { reason, ip, tokenLength: typeof given === 'string' ? given.length : undefined },
      'tg.webhook_rejected',
    );
  }
}
