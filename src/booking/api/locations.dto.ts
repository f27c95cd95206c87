import { IsOmittable, IsTimeZone } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class LocationDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() address: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone: string;
  @ApiProperty() active: boolean;
}

export class CreateLocationDto {
  @ApiProperty({ example: 'Salon Mitte' })
  @Transform(trim)
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiPropertyOptional({ example: 'Torstr. 1, Berlin' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(0, 255)
  address?: string;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA name, any case; stored canonical' })
  @IsTimeZone()
  timeZone: string;
}

export class UpdateLocationDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(0, 255)
  address?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @IsOmittable()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}

export class ListLocationsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'admins see inactive ones too unless filtered',
  })
  @IsOmittable()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}
