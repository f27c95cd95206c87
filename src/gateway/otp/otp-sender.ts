import { Injectable, Logger } from '@nestjs/common';
import type { AuthSubject } from '../../booking/api';
import { BotMessenger } from '../../bot/api';
import { AppConfig } from '../../config/app-config';
import { maskPhone, otpText } from './otp-text';

export interface OtpMessage {
  phone: string;
  code: string;
  ttlSeconds: number;
  /** The user who owns the phone, if there is one. */
  recipient: AuthSubject | null;
}

/** A way to hand a one-time code to the phone's owner. */
export abstract class OtpSender {
  abstract readonly channel: string;
  abstract accepts(message: OtpMessage): boolean;
  /** Rejects when the code did not go out, so the next channel can be tried. */
  abstract send(message: OtpMessage): Promise<void>;
}

/** By Telegram, for a phone whose user has a tg_id. */
@Injectable()
export class TelegramOtpSender extends OtpSender {
  readonly channel = 'telegram';

  constructor(private readonly messenger: BotMessenger) {
    super();
  }

  accepts(message: OtpMessage): boolean {
    return message.recipient?.tgId != null;
  }

  async send(message: OtpMessage): Promise<void> {
    const recipient = message.recipient;
    if (recipient?.tgId == null) throw new Error('no Telegram chat for this phone');
    await this.messenger.sendText(
      recipient.tgId,
      otpText(recipient.language, message.code, message.ttlSeconds),
    );
  }
}

/**
 * The fallback: writes the code to the log (development only, OTP_LOG_CODES). With logging off,
 * the code is not delivered and only the fact is logged: there is no SMS channel.
 */
@Injectable()
export class LogOtpSender extends OtpSender {
  readonly channel = 'log';
  private readonly logger = new Logger('OtpCodes');

  constructor(private readonly config: AppConfig) {
    super();
  }

  get writesCodes(): boolean {
    return this.config.otp.logCodes;
  }

  accepts(): boolean {
    return true;
  }

  async send(message: OtpMessage): Promise<void> {
    if (this.writesCodes) {
      this.logger.warn(`OTP code for ${message.phone}: ${message.code} (development delivery via the log)`);
    } else {
      this.logger.warn(
        `No delivery channel for the OTP code requested for ${maskPhone(message.phone)}: not sent`,
      );
    }
  }
}
