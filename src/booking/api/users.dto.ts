import { IsOmittable, IsTelegramId } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ROLES, type Role } from '../../common/actor';
import { PageQuery } from '../../common/pagination';

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A Telegram @username without the @: 4-32 letters, digits and underscores (older ones may be shorter). */
export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{2,31}$/;
/** E.164-ish: a leading + and 7-15 digits; spaces, dashes and brackets are stripped first. */
export const PHONE_PATTERN = /^\+[1-9]\d{6,14}$/;
export const normalizePhone = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.replace(/[\s()-]/g, '') : value;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class UserDto {
  @ApiProperty() id: number;
  @ApiProperty({ type: Number, nullable: true }) tgId: number | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({
    description: 'the user proved the phone (a one-time code to it, or their Telegram contact)',
  })
  phoneVerified: boolean;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true, description: 'Telegram @username (without @), as last seen' })
  username: string | null;
  @ApiProperty({ enum: LANGUAGES }) language: Language;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() blocked: boolean;
  @ApiProperty() createdAt: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'Anna Petrova' })
  @Transform(trim)
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiPropertyOptional({
    example: '+491701234567',
    description: 'stored unverified until its owner proves it',
  })
  @IsOptional()
  @Transform(normalizePhone)
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be in international format, e.g. +491701234567' })
  phone?: string;

  @ApiPropertyOptional({ description: 'Telegram user id' })
  @IsOptional()
  @IsTelegramId()
  tgId?: number;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'ru' })
  @IsOmittable()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ enum: ROLES, default: 'client' })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'admin only, stored unverified; a user proves their own phone by a one-time code or their Telegram contact',
  })
  @IsOptional()
  @Transform(normalizePhone)
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be in international format, e.g. +491701234567' })
  phone?: string;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOmittable()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ enum: ROLES, description: 'admin only' })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'admin only' })
  @IsOmittable()
  @IsBoolean()
  blocked?: boolean;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'substring of name or phone' })
  @IsOmittable()
  @IsString()
  @Length(1, 120)
  search?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsTelegramId()
  tgId?: number;

  @ApiPropertyOptional({ description: 'Telegram @username, without @, any case' })
  @IsOmittable()
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be a Telegram username' })
  username?: string;
}

/** What the gateway knows about a Telegram user when it first sees them. */
export interface TelegramIdentity {
  tgId: number;
  name: string;
  languageCode?: string;
  /** Telegram @username without the @, when the user has one. */
  username?: string;
}

/** Minimal view the auth layers need; never cached longer than the caller's own TTL. */
export interface AuthSubject {
  userId: number;
  role: Role;
  language: Language;
  blocked: boolean;
  tgId: number | null;
  /** The Telegram @username stored (the gateway refreshes it when Telegram shows another). */
  username?: string | null;
}

/** What a new account gets when a proven phone has none yet. */
export interface NewPhoneUser {
  name?: string;
  language?: Language;
}
