import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { RECIPIENT_ROLES, type RecipientRole } from './notification-settings.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateBroadcastDto {
  @ApiProperty({
    description: 'sent as is to every recipient (an ad may be appended per setting)',
    maxLength: 3500,
  })
  @Transform(trim)
  @IsString()
  @Length(1, 3500)
  text: string;

  @ApiPropertyOptional({ enum: RECIPIENT_ROLES, isArray: true, default: ['client'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(RECIPIENT_ROLES, { each: true })
  roles?: RecipientRole[];
}

export class BroadcastDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: RECIPIENT_ROLES, isArray: true }) roles: RecipientRole[];
}

export class BroadcastProgressDto {
  @ApiProperty() id: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'messages to send; null while recipients are being found',
  })
  total: number | null;
  @ApiProperty() sent: number;
  @ApiProperty({ description: 'failed for good (including users who blocked the bot)' }) failed: number;
  @ApiProperty({ description: 'not sent yet' }) queued: number;
  @ApiProperty({ description: 'every message sent or failed' }) done: boolean;
}
