import { IsOmittable, IsId } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDivisibleBy, IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Durations are whole 15-minute cells of the slot grid, at most 12 hours. */
export const MIN_DURATION = 15;
export const MAX_DURATION = 720;
/** Minor currency units; the cap keeps sums far from the safe-integer limit. */
export const MAX_PRICE = 1_000_000_000;

export class ServiceDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'minutes, a multiple of 15' }) durationMin: number;
  @ApiProperty({ description: 'minor currency units (cents)' }) price: number;
  @ApiProperty() active: boolean;
}

export class CreateServiceDto {
  @ApiProperty({ example: 'Haircut' })
  @Transform(trim)
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiPropertyOptional({ example: 'Wash, cut and style' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiProperty({ example: 60, minimum: MIN_DURATION, maximum: MAX_DURATION, multipleOf: 15 })
  @IsInt()
  @IsDivisibleBy(15)
  @Min(MIN_DURATION)
  @Max(MAX_DURATION)
  durationMin: number;

  @ApiProperty({ example: 3500, minimum: 0, description: 'minor currency units (cents)' })
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  price: number;

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}

export class UpdateServiceDto {
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
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional({ minimum: MIN_DURATION, maximum: MAX_DURATION, multipleOf: 15 })
  @IsOmittable()
  @IsInt()
  @IsDivisibleBy(15)
  @Min(MIN_DURATION)
  @Max(MAX_DURATION)
  durationMin?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  price?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}

export class ListServicesQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'admins see inactive ones too unless filtered',
  })
  @IsOmittable()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'only services an active specialist offers at this location' })
  @IsOmittable()
  @Type(() => Number)
  @IsId()
  locationId?: number;
}
