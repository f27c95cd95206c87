import { IsOmittable } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, Max, Min } from 'class-validator';
import { LANGUAGES, type Language } from './users.dto';

/** ISO 4217 codes the runtime can format (Intl), so a price can always be shown in this currency. */
export const CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency');

/** One week, in minutes: the longest notice or cutoff that makes sense for an appointment. */
export const MAX_NOTICE_MIN = 10080;

export class SettingsDto {
  @ApiProperty({ description: 'a booking must start at least this many minutes from now' })
  minNoticeMin: number;
  @ApiProperty({ description: 'bookable days ahead' }) horizonDays: number;
  @ApiProperty({ description: 'a client may cancel until this many minutes before the start' })
  cancellationCutoffMin: number;
  @ApiProperty({ description: 'new bookings are confirmed at once instead of pending' }) autoConfirm: boolean;
  @ApiProperty({
    enum: LANGUAGES,
    description:
      "language of a new user whose Telegram language or browser's Accept-Language is neither ru nor en",
  })
  defaultLanguage: Language;
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code of the currency prices are in' })
  currency: string;
  @ApiProperty() updatedAt: string;
}

export class UpdateSettingsDto {
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_NOTICE_MIN })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_NOTICE_MIN)
  minNoticeMin?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 365 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(365)
  horizonDays?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_NOTICE_MIN })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_NOTICE_MIN)
  cancellationCutoffMin?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  autoConfirm?: boolean;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOmittable()
  @IsIn(LANGUAGES)
  defaultLanguage?: Language;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217 code, three upper-case letters' })
  @IsOmittable()
  @IsIn(CURRENCIES, { message: 'currency must be an ISO 4217 code in upper case, such as EUR' })
  currency?: string;
}
