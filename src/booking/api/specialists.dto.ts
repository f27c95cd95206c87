import { IsId, IsOmittable, IsTelegramId } from '../../common/validation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDivisibleBy,
  IsIn,
  IsInt,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { MAX_DURATION, MAX_PRICE, MIN_DURATION } from './services.dto';
import { normalizePhone, PHONE_PATTERN } from './users.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SpecialistLocationDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone: string;
  @ApiProperty() active: boolean;
}

export class SpecialistServiceDto {
  @ApiProperty() serviceId: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: "effective duration: the specialist's own, else the service's" })
  durationMin: number;
  @ApiProperty({ description: "effective price: the specialist's own, else the service's" }) price: number;
  @ApiProperty({ type: Number, nullable: true, description: 'own duration, null = the service default' })
  customDurationMin: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'own price, null = the service default' })
  customPrice: number | null;
  @ApiProperty() active: boolean;
}

export class SpecialistDto {
  @ApiProperty() id: number;
  @ApiProperty() userId: number;
  @ApiProperty({ description: "the user's name" }) name: string;
  @ApiProperty() bio: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: [SpecialistLocationDto] }) locations: SpecialistLocationDto[];
  @ApiProperty({ type: [SpecialistServiceDto] }) services: SpecialistServiceDto[];
}

/** A service the specialist offers; omitted duration / price fall back to the service's. */
export class SpecialistServiceInput {
  @ApiProperty()
  @IsId()
  serviceId: number;

  @ApiPropertyOptional({ minimum: MIN_DURATION, maximum: MAX_DURATION, multipleOf: 15 })
  @IsOmittable()
  @IsInt()
  @IsDivisibleBy(15)
  @Min(MIN_DURATION)
  @Max(MAX_DURATION)
  durationMin?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'minor currency units' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  price?: number;
}

export class NewSpecialistUserInput {
  @ApiProperty({ example: 'Anna Petrova' })
  @Transform(trim)
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiPropertyOptional({ example: '+491701234567' })
  @IsOmittable()
  @Transform(normalizePhone)
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be in international format, e.g. +491701234567' })
  phone?: string;

  @ApiPropertyOptional({ description: 'Telegram user id' })
  @IsOmittable()
  @IsTelegramId()
  tgId?: number;
}

const serviceKey = (s: SpecialistServiceInput) => (s && typeof s === 'object' ? s.serviceId : s);

export class CreateSpecialistDto {
  @ApiPropertyOptional({ description: 'an existing user; give either userId or user' })
  @IsOmittable()
  @IsId()
  userId?: number;

  @ApiPropertyOptional({
    type: NewSpecialistUserInput,
    description: 'a new user; give either userId or user',
  })
  @IsOmittable()
  @ValidateNested()
  @Type(() => NewSpecialistUserInput)
  user?: NewSpecialistUserInput;

  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(0, 2000)
  bio?: string;

  @ApiPropertyOptional({ type: [Number] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsId({ each: true })
  locationIds?: number[];

  @ApiPropertyOptional({ type: [SpecialistServiceInput] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique(serviceKey, { message: 'services must not list the same serviceId twice' })
  @ValidateNested({ each: true })
  @Type(() => SpecialistServiceInput)
  services?: SpecialistServiceInput[];
}

export class UpdateSpecialistDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(0, 2000)
  bio?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    type: [Number],
    description: 'replaces the whole set; schedules at dropped locations are removed',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsId({ each: true })
  locationIds?: number[];

  @ApiPropertyOptional({ type: [SpecialistServiceInput], description: 'replaces the whole set' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique(serviceKey, { message: 'services must not list the same serviceId twice' })
  @ValidateNested({ each: true })
  @Type(() => SpecialistServiceInput)
  services?: SpecialistServiceInput[];
}

export class ListSpecialistsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'works at this location' })
  @IsOmittable()
  @Type(() => Number)
  @IsId()
  locationId?: number;

  @ApiPropertyOptional({ description: 'offers this service' })
  @IsOmittable()
  @Type(() => Number)
  @IsId()
  serviceId?: number;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'admins see inactive ones too unless filtered',
  })
  @IsOmittable()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}
