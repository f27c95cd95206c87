import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { CurrentActor } from '../../common/current-actor.decorator';
import { ApiPageResponse, Page } from '../../common/pagination';
import { AuditLogEntryDto, AuditLogQuery } from './audit-log.dto';
import { AuditTrail } from './audit-trail';

@ApiTags('audit-log')
@ApiBearerAuth()
@Controller('api/v1/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditTrail) {}

  /** Newest first. Admin only. */
  @ApiPageResponse(AuditLogEntryDto)
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: AuditLogQuery): Promise<Page<AuditLogEntryDto>> {
    return this.audit.list(actor, query);
  }
}
