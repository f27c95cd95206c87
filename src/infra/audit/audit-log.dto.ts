import { IsId } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination';

export class AuditLogQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'location' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  entity?: string;

  @ApiPropertyOptional({ example: '12' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  entityId?: string;

  @ApiPropertyOptional({ description: 'the acting user' })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  userId?: number;
}

export class AuditLogEntryDto {
  @ApiProperty() id: number;
  @ApiProperty() at: string;
  @ApiProperty({ type: Number, nullable: true, description: 'null for the system' }) userId: number | null;
  @ApiProperty() role: string;
  @ApiProperty() clientType: string;
  @ApiProperty({ example: 'location.create' }) action: string;
  @ApiProperty() entity: string;
  @ApiProperty({ type: String, nullable: true }) entityId: string | null;
  @ApiProperty({ nullable: true, description: 'what the call changed, as sent' }) changes: unknown;
  @ApiProperty({ type: String, nullable: true }) traceId: string | null;
}
