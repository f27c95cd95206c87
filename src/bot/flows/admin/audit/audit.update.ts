import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { LocationsApi, UsersApi } from '../../../../booking/api';
import { AuditTrail } from '../../../../infra/audit/audit-trail';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { BotMenu } from '../../../ui/bot-menu';
import { MenuController } from '../../../ui/menu-controller';
import { PAGE_SIZE, Screen } from '../../../ui/screen';
import { Audit } from './audit.routes';
import { AUDIT_ENTITIES, auditScreen, filtersScreen } from './audit.screens';

/** Audit: the latest changes (who, what, when), newest first, filtered by entity, paged (AuditTrail.list). */
@BotFlow()
@ForRoles('admin')
export class AuditUpdate implements OnModuleInit {
  constructor(
    private readonly audit: AuditTrail,
    private readonly users: UsersApi,
    private readonly locations: LocationsApi,
    private readonly menus: MenuController,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.aud.menu',
      roles: ['admin'],
      order: 48,
      placement: 'home',
      data: () => Audit.list.encode(0, 0),
      open: async (ctx, user) => this.menus.open(ctx, await this.screenOf(user, 0, 0)),
    });
  }

  @Action(Audit.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [filter, page] = Audit.list.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.screenOf(user, filter, page));
  }

  @Action(Audit.filters.pattern)
  async onFilters(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [filter, page] = Audit.filters.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, filtersScreen(user.lang, filter < AUDIT_ENTITIES.length ? filter : 0, page));
  }

  private async screenOf(user: TgUserContext, filter: number, page: number): Promise<Screen> {
    const actor = actorOf(user);
    const known = filter < AUDIT_ENTITIES.length ? filter : 0;
    const entity = AUDIT_ENTITIES[known] || undefined;
    const query = { entity, limit: PAGE_SIZE };
    const { total } = await this.audit.list(actor, { ...query, limit: 1 });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const p = Math.min(page, pages - 1);
    const [{ items }, zone] = await Promise.all([
      this.audit.list(actor, { ...query, offset: p * PAGE_SIZE }),
      this.zone(user),
    ]);
    const ids = [...new Set(items.map((e) => e.userId).filter((id): id is number => id !== null))];
    const names = new Map(
      await Promise.all(
        ids.map(
          async (id) =>
            [id, (await this.users.get(actor, id).catch(() => undefined))?.name ?? `#${id}`] as const,
        ),
      ),
    );
    const lines = items.map((entry) => ({
      entry,
      who: entry.userId === null ? null : names.get(entry.userId)!,
    }));
    return auditScreen(user.lang, known, { items: lines, page: p, pages }, zone);
  }

  /** Times in the first location's zone (the salon's). */
  private async zone(user: TgUserContext): Promise<string> {
    const { items } = await this.locations.list(actorOf(user), { limit: 1 });
    return items[0]?.timeZone ?? 'UTC';
  }
}
