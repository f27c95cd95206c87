import { IsId } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  registerDecorator,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** A base64url string whose decoded length is in [min, max] bytes (web-push refuses other key sizes later, at send time). */
function IsBase64UrlBytes(min: number, max: number, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBase64UrlBytes',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be base64url of ${min === max ? min : `${min}-${max}`} bytes`,
        ...options,
      },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string' || value.length > 256 || !BASE64URL.test(value)) return false;
          const bytes = Buffer.from(value.replace(/=+$/, ''), 'base64url').length;
          return bytes >= min && bytes <= max;
        },
      },
    });
}

export class PushKeysDto {
  @ApiProperty({ description: 'P-256 public key of the browser, base64url (65 bytes)' })
  @IsString()
  @IsBase64UrlBytes(65, 65)
  p256dh: string;

  @ApiProperty({ description: 'auth secret, base64url (16 bytes or more)' })
  @IsString()
  @IsBase64UrlBytes(16, 64)
  auth: string;
}

export class CreatePushSubscriptionDto {
  @ApiProperty({ example: 'https://fcm.googleapis.com/fcm/send/abc123', maxLength: 1024 })
  @IsString()
  @MaxLength(1024)
  @IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: false },
    { message: 'endpoint must be an https:// URL' },
  )
  endpoint: string;

  @ApiProperty({ type: PushKeysDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PushKeysDto)
  keys: PushKeysDto;
}

export class PushSubscriptionDto {
  @ApiProperty() id: number;
  @ApiProperty() userId: number;
  @ApiProperty() endpoint: string;
  @ApiProperty({ type: PushKeysDto }) keys: PushKeysDto;
  @ApiProperty() createdAt: string;
}

export class ListPushSubscriptionsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'admin only; others always see their own' })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  userId?: number;
}

export class VapidPublicKeyDto {
  @ApiProperty({ description: "base64url; the browser's applicationServerKey" }) publicKey: string;
}
