import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import { QueuesDashboardApi, QueuesDashboardLinkDto } from '../api/queues-dashboard.api';
import { DashboardSessions } from './dashboard-sessions';
import { DASHBOARD_LOGIN_ROUTE } from './queues-dashboard.guard';

@Injectable()
export class QueuesDashboardService extends QueuesDashboardApi {
  constructor(
    private readonly sessions: DashboardSessions,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async createLoginLink(actor: Actor): Promise<QueuesDashboardLinkDto> {
    if (actor.role !== 'admin') throw DomainError.forbidden('Only an admin opens the queue dashboard');
    const { code, expiresAt } = await this.sessions.issueLoginCode(actor.userId);
    // Without PUBLIC_URL (polling or sandbox: a developer's machine) the link points at this host.
    const base = (this.config.telegram.publicUrl ?? `http://localhost:${this.config.port}`).replace(
      /\/+$/,
      '',
    );
    return { url: `${base}${DASHBOARD_LOGIN_ROUTE}?code=${code}`, expiresAt: expiresAt.toISOString() };
  }
}
