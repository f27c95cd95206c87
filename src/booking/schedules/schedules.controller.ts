import { Body, Controller, Delete, Get, Injectable, PipeTransform, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, ValidateNested } from 'class-validator';
import type { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { CurrentActor } from '../../common/current-actor.decorator';
import { Page } from '../../common/pagination';
import { createValidationPipe } from '../../infra/http/validation';
import { SchedulesApi } from '../api/schedules.api';
import {
  CreateScheduleExceptionDto,
  CreateWorkIntervalDto,
  ListExceptionsQuery,
  ListIntervalsQuery,
  ScheduleExceptionDto,
  WeeklyIntervalInput,
  WeekQuery,
  WorkIntervalDto,
} from '../api/schedules.dto';

class WeekBody {
  @IsArray({ message: 'the body must be an array of {weekday, startMin, endMin}' })
  @ArrayMaxSize(7 * 96)
  @ValidateNested({ each: true })
  @Type(() => WeeklyIntervalInput)
  intervals: WeeklyIntervalInput[];
}

/** The global pipe skips array bodies; this validates every item and names it (intervals.2.endMin ...). */
@Injectable()
class WeekBodyPipe implements PipeTransform {
  private readonly pipe = createValidationPipe();

  async transform(value: unknown): Promise<WeeklyIntervalInput[]> {
    const body = (await this.pipe.transform(
      { intervals: value },
      { type: 'body', metatype: WeekBody },
    )) as WeekBody;
    return body.intervals;
  }
}

@ApiTags('schedules')
@ApiBearerAuth()
@Controller('api/v1')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesApi) {}

  @Get('schedules/intervals')
  listIntervals(
    @CurrentActor() actor: Actor,
    @Query() query: ListIntervalsQuery,
  ): Promise<Page<WorkIntervalDto>> {
    return this.schedules.listIntervals(actor, query);
  }

  @Post('schedules/intervals')
  createInterval(@CurrentActor() actor: Actor, @Body() dto: CreateWorkIntervalDto): Promise<WorkIntervalDto> {
    return this.schedules.createInterval(actor, dto);
  }

  @Delete('schedules/intervals/:id')
  removeInterval(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<WorkIntervalDto> {
    return this.schedules.removeInterval(actor, id);
  }

  @Get('specialists/:id/schedule')
  getWeek(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Query() query: WeekQuery,
  ): Promise<WorkIntervalDto[]> {
    return this.schedules.getWeek(actor, id, query.locationId);
  }

  @Put('specialists/:id/schedule')
  @ApiBody({ type: [WeeklyIntervalInput] })
  replaceWeek(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Query() query: WeekQuery,
    @Body(WeekBodyPipe) intervals: WeeklyIntervalInput[],
  ): Promise<WorkIntervalDto[]> {
    return this.schedules.replaceWeek(actor, id, query.locationId, intervals);
  }

  @Get('schedules/exceptions')
  listExceptions(
    @CurrentActor() actor: Actor,
    @Query() query: ListExceptionsQuery,
  ): Promise<Page<ScheduleExceptionDto>> {
    return this.schedules.listExceptions(actor, query);
  }

  @Post('schedules/exceptions')
  createException(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateScheduleExceptionDto,
  ): Promise<ScheduleExceptionDto> {
    return this.schedules.createException(actor, dto);
  }

  @Delete('schedules/exceptions/:id')
  removeException(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<ScheduleExceptionDto> {
    return this.schedules.removeException(actor, id);
  }
}
