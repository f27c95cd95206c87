import { PipeTransform } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsObject, IsPositive, IsString, Length, Matches, Max, ValidateNested } from 'class-validator';
import { normalizePhone, PHONE_PATTERN } from '../../booking/api';
import { DomainError } from '../../common/errors';
import { IsOmittable } from '../../common/validation';

/** Who types in a sandbox chat: any Telegram user the page makes up (or a demo persona). */
export class SandboxUserDto {
  @IsInt()
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  id: number;

  @IsString()
  @Length(1, 64)
  firstName: string;

  @IsOmittable()
  @IsString()
  @Length(1, 64)
  lastName?: string;

  @IsOmittable()
  @Matches(/^[A-Za-z0-9_]{5,32}$/, { message: 'user.username must be 5-32 letters, digits or _' })
  username?: string;

  @IsOmittable()
  @Matches(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, {
    message: 'user.languageCode must be an IETF language tag such as en',
  })
  languageCode?: string;
}

export class SendTextDto {
  @IsObject()
  @ValidateNested()
  @Type(() => SandboxUserDto)
  user: SandboxUserDto;

  /** Telegram's own limit for one message. */
  @IsString()
  @Length(1, 4096)
  text: string;
}

export class ShareContactDto {
  @IsObject()
  @ValidateNested()
  @Type(() => SandboxUserDto)
  user: SandboxUserDto;

  @Transform(normalizePhone)
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be in international format, e.g. +491701234567' })
  phone: string;
}

export class PressButtonDto {
  @IsObject()
  @ValidateNested()
  @Type(() => SandboxUserDto)
  user: SandboxUserDto;

  @IsInt()
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  messageId: number;

  /** callback_data is 1-64 bytes in Telegram. */
  @IsString()
  @Length(1, 64)
  data: string;
}

/** A chat id in the path: Telegram's ids go beyond a database id's range (up to 52 bits). */
export class ParseChatIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = Number(value);
    if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
      throw DomainError.invalid('chatId must be a positive integer (a Telegram chat id)');
    }
    return id;
  }
}
