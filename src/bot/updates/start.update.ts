import { Ctx, Start, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { t } from '../i18n/i18n';
import type { BotState } from '../telegram/tg-user-context.store';

/** /start: greets the user by name and tells them their role (the full menus come with the bot issue). */
@Update()
export class StartUpdate {
  @Start()
  async start(@Ctx() ctx: Context): Promise<void> {
    const { user } = ctx.state as BotState;
    if (!user) return;
    const name = ctx.from?.first_name ?? '';
    await ctx.reply(t('start.greeting', user.lang, { name, role: t(`role.${user.role}`, user.lang) }));
  }
}
