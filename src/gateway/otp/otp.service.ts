import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createHash, randomInt } from 'node:crypto';
import { Language, UsersApi } from '../../booking/api';
import type { Actor } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { SessionsApi } from '../api/sessions.api';
import { LogOtpSender, OtpMessage, OtpSender, TelegramOtpSender } from './otp-sender';
import { maskPhone } from './otp-text';
import { OtpRequestedDto, OtpSessionDto, RequestOtpDto, VerifyOtpDto } from './otp.dto';
import { OtpStore, RequestOutcome } from './otp.store';

/** Six digits from the CSPRNG, leading zeros kept. */
export function generateCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** Bound to the phone, so a code stored for one phone can never match another's. */
export function hashCode(phone: string, code: string): string {
  return createHash('sha256').update(`otp:v1:${phone}:${code}`).digest('hex');
}

/** Who records what a login attempt did before anyone is logged in: the system, for the public client. */
const PUBLIC_SYSTEM_ACTOR: Actor = Object.freeze({ userId: 0, role: 'system', clientType: 'public' });

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Public-client login by one-time code. Requests answer the same way for known and unknown phones;
 * the code is looked up, routed and sent after the answer, so timing does not tell them apart either.
 */
@Injectable()
export class OtpService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OtpService.name);
  private readonly senders: OtpSender[];
  private readonly deliveries = new Set<Promise<void>>();

  constructor(
    private readonly store: OtpStore,
    private readonly users: UsersApi,
    private readonly sessions: SessionsApi,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly config: AppConfig,
    private readonly telegram: TelegramOtpSender,
    private readonly log: LogOtpSender,
  ) {
    this.senders = [telegram, log];
  }

  onApplicationBootstrap(): void {
    if (this.log.writesCodes) {
      this.logger.warn(
        'OTP codes for phones without a Telegram account are WRITTEN TO THE LOG (development); set OTP_LOG_CODES=false in production',
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.deliveries]);
  }

  async request(dto: RequestOtpDto, ip: string): Promise<OtpRequestedDto> {
    const { otp } = this.config;
    const code = generateCode();
    const outcome = await this.store.storeCode(dto.phone, ip, hashCode(dto.phone, code), {
      ip: otp.ipRequestLimit,
      phone: otp.phoneRequestLimit,
      windowMs: otp.requestWindowSeconds * 1000,
      codeTtlMs: otp.codeTtlSeconds * 1000,
    });
    if (outcome.kind !== 'stored') throw this.refusal(outcome);
    this.track(this.deliver(dto.phone, code));
    return {
      message: 'If this number can receive codes, a code is on its way',
      expiresInSeconds: otp.codeTtlSeconds,
    };
  }

  /** `language`: the browser's, from Accept-Language, for an account created by this login. */
  async verify(dto: VerifyOtpDto, language?: Language): Promise<OtpSessionDto> {
    const { otp } = this.config;
    const outcome = await this.store.verify(
      dto.phone,
      hashCode(dto.phone, dto.code),
      otp.maxWrongCodes,
      otp.lockSeconds * 1000,
    );
    switch (outcome.kind) {
      case 'missing':
        throw new DomainError(
          ErrorCode.Unauthorized,
          'The code has expired or was already used; request a new one',
        );
      case 'wrong':
        throw new DomainError(
          ErrorCode.Unauthorized,
          `Wrong code; ${outcome.attemptsLeft} ${outcome.attemptsLeft === 1 ? 'attempt' : 'attempts'} left before this phone is locked for ${Math.ceil(otp.lockSeconds / 60)} min`,
          { attemptsLeft: outcome.attemptsLeft },
        );
      case 'locked':
        if (outcome.justLocked) await this.recordLock(dto.phone);
        throw new DomainError(
          ErrorCode.TooManyRequests,
          `Too many wrong codes: this phone is locked, try again in ${Math.ceil(seconds(outcome.retryAfterMs) / 60)} min`,
          { retryAfterSeconds: seconds(outcome.retryAfterMs) },
        );
    }
    // The code proved the phone: its owner logs in, or the client an admin entered with it, or a new client.
    const subject = await this.users.userForVerifiedPhone(dto.phone, { name: dto.name, language });
    if (subject.blocked) throw DomainError.forbidden('This account is blocked');
    const actor: Actor = { userId: subject.userId, role: subject.role, clientType: 'public' };
    const issued = await this.sessions.issue(subject.userId, 'public');
    await this.uow.run((em) =>
      this.audit.record(em, actor, { action: 'auth.otp_login', entity: 'user', entityId: subject.userId }),
    );
    return {
      token: issued.token,
      expiresInSeconds: issued.expiresInSeconds,
      user: await this.users.me(actor),
    };
  }

  private refusal(outcome: Exclude<RequestOutcome, { kind: 'stored' }>): DomainError {
    const retryAfterSeconds = seconds(outcome.retryAfterMs);
    const message = {
      ip_limited: `Too many code requests from this address; try again in ${retryAfterSeconds} s`,
      phone_limited: `Too many code requests for this phone; try again in ${retryAfterSeconds} s`,
      locked: `Too many wrong codes: this phone is locked, try again in ${Math.ceil(retryAfterSeconds / 60)} min`,
    }[outcome.kind];
    return new DomainError(ErrorCode.TooManyRequests, message, { retryAfterSeconds });
  }

  private async recordLock(phone: string): Promise<void> {
    const owner = await this.users.findByPhone(phone);
    await this.uow.run((em) =>
      this.audit.record(
        em,
        { ...PUBLIC_SYSTEM_ACTOR },
        {
          action: 'auth.otp_locked',
          entity: 'user',
          entityId: owner?.userId ?? null,
          changes: { phone: maskPhone(phone), lockSeconds: this.config.otp.lockSeconds },
        },
      ),
    );
  }

  private async deliver(phone: string, code: string): Promise<void> {
    const masked = maskPhone(phone);
    const recipient = await this.users.findByPhone(phone);
    if (recipient?.blocked) {
      this.logger.warn(`OTP requested for the blocked account of ${masked}: not sent`);
      return;
    }
    const message: OtpMessage = { phone, code, ttlSeconds: this.config.otp.codeTtlSeconds, recipient };
    for (const sender of this.senders) {
      if (!sender.accepts(message)) continue;
      try {
        await sender.send(message);
        return;
      } catch (err) {
        this.logger.warn(`OTP delivery by ${sender.channel} to ${masked} failed: ${(err as Error).message}`);
      }
    }
  }

  /** Deliveries run after the answer; shutdown waits for the ones in flight. */
  private track(delivery: Promise<void>): void {
    const tracked = delivery
      .catch((err: unknown) => this.logger.error(`OTP delivery failed: ${(err as Error).message}`))
      .finally(() => this.deliveries.delete(tracked));
    this.deliveries.add(tracked);
  }
}
