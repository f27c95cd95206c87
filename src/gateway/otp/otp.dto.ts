import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { normalizePhone, PHONE_PATTERN, UserDto } from '../../booking/api';

const PHONE_MESSAGE = 'phone must be in international format, e.g. +491701234567';
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RequestOtpDto {
  @ApiProperty({ example: '+491701234567' })
  @Transform(normalizePhone)
  @IsString({ message: PHONE_MESSAGE })
  @Matches(PHONE_PATTERN, { message: PHONE_MESSAGE })
  phone: string;
}

export class VerifyOtpDto {
  @ApiProperty({ example: '+491701234567' })
  @Transform(normalizePhone)
  @IsString({ message: PHONE_MESSAGE })
  @Matches(PHONE_PATTERN, { message: PHONE_MESSAGE })
  phone: string;

  @ApiProperty({ example: '042917', description: 'the six digits received' })
  @Transform(trim)
  @IsString({ message: 'code must be six digits' })
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code: string;

  @ApiPropertyOptional({
    description: 'name for a new account; ignored when the phone already has one',
    example: 'Anna',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 120)
  name?: string;
}

/** Deliberately the same whether or not the phone is known. */
export class OtpRequestedDto {
  @ApiProperty() message: string;
  @ApiProperty({ description: 'how long a code stays valid' }) expiresInSeconds: number;
}

export class OtpSessionDto {
  @ApiProperty({ description: 'bearer token of a public-client session' }) token: string;
  @ApiProperty() expiresInSeconds: number;
  @ApiProperty({ type: UserDto }) user: UserDto;
}
