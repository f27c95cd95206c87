import { applyDecorators, UseFilters } from '@nestjs/common';
import { Update } from 'nestjs-telegraf';
import { BotErrorFilter } from './bot-error.filter';

/** A class of bot handlers: a nestjs-telegraf @Update whose errors all take the bot's one error path. */
export const BotFlow = () => applyDecorators(Update(), UseFilters(BotErrorFilter));
