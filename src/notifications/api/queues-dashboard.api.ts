import { ApiProperty } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';

export class QueuesDashboardLinkDto {
  @ApiProperty({ example: 'https://salon.example/admin/queues/login?code=3q2-7wEv...' }) url: string;
  @ApiProperty({ example: '2026-03-20T09:10:00.000Z' }) expiresAt: string;
}

/**
 * Mirrors POST /api/v1/queues-dashboard/login-links: a one-time link into the queue dashboard
 * (/admin/queues), for the admin bot to hand out. Admins only (others: forbidden). The link is
 * valid 10 minutes and opens the dashboard once, with a dashboard session of its own (not the
 * caller's API token) that lasts 15 minutes from its last use.
 */
export abstract class QueuesDashboardApi {
  abstract createLoginLink(actor: Actor): Promise<QueuesDashboardLinkDto>;
}
