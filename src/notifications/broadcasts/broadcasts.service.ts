import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { BroadcastsApi } from '../api/broadcasts.api';
import type { BroadcastDto, BroadcastProgressDto, CreateBroadcastDto } from '../api/broadcasts.dto';
import { BROADCAST_QUEUE, BroadcastJob, EVENT_JOB, JOB_OPTIONS } from '../delivery/notification-queues';
import { BroadcastProgress } from './broadcast-progress';

@Injectable()
export class BroadcastsService extends BroadcastsApi {
  constructor(
    @InjectQueue(BROADCAST_QUEUE) private readonly queue: Queue<BroadcastJob>,
    private readonly counts: BroadcastProgress,
  ) {
    super();
  }

  async send(actor: Actor, dto: CreateBroadcastDto): Promise<BroadcastDto> {
    if (actor.role !== 'admin') throw DomainError.forbidden('Only an admin sends broadcasts');
    const broadcast: BroadcastJob = {
      broadcastId: randomUUID(),
      text: dto.text,
      roles: dto.roles ?? ['client'],
      senderId: actor.userId,
    };
    await this.counts.started(broadcast.broadcastId);
    await this.queue.add(EVENT_JOB, broadcast, {
      ...JOB_OPTIONS,
      jobId: `broadcast-${broadcast.broadcastId}`,
    });
    return { id: broadcast.broadcastId, roles: broadcast.roles };
  }

  async progress(actor: Actor, id: string): Promise<BroadcastProgressDto> {
    if (actor.role !== 'admin') throw DomainError.forbidden('Only an admin sees broadcasts');
    const counts = await this.counts.of(id);
    if (!counts) throw DomainError.notFound('broadcast', id);
    const { total, sent, failed } = counts;
    const queued = total === null ? 0 : Math.max(0, total - sent - failed);
    return { id, total, sent, failed, queued, done: total !== null && queued === 0 };
  }
}
