import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { BookingModule } from './booking/booking.module';
import { BotModule } from './bot/bot.module';
import { GatewayModule } from './gateway/gateway.module';
import { AuditModule } from './infra/audit/audit.module';
import { ClockModule } from './infra/clock/clock.module';
import { requestContextModule } from './infra/cls/request-context.module';
import { DatabaseModule } from './infra/database/database.module';
import { EventsModule } from './infra/events/events.module';
import { HealthModule } from './infra/health/health.module';
import { LoggingModule } from './infra/logging/logging.module';
import { NotificationsModule } from './notifications/notifications.module';
import { RedisModule } from './infra/redis/redis.module';

/** Infrastructure every module shares; AppModule adds the product modules on top. */
export function infrastructure(config: AppConfig) {
  return [
    ConfigModule.forRoot(config),
    requestContextModule(),
    LoggingModule,
    DatabaseModule,
    RedisModule,
    ClockModule,
    EventsModule,
    AuditModule,
  ];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...infrastructure(config),
        HealthModule,
        BookingModule,
        BotModule,
        GatewayModule,
        NotificationsModule,
      ],
    };
  }
}
