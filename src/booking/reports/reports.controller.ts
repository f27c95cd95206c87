import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { CurrentActor } from '../../common/current-actor.decorator';
import { ReportsApi } from '../api/reports.api';
import { BookingsReportDto, BookingsReportQuery } from '../api/reports.dto';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsApi) {}

  @Get('bookings')
  @ApiOperation({ summary: "Admins: a day's, week's or month's bookings per location and specialist" })
  @ApiOkResponse({ type: BookingsReportDto })
  bookings(@CurrentActor() actor: Actor, @Query() query: BookingsReportQuery): Promise<BookingsReportDto> {
    return this.reports.bookings(actor, query);
  }
}
