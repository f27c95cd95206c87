import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { currentTraceId } from '../cls/trace';

/** Structured JSON logs; every line carries the trace id of the request, update or job it belongs to. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          mixin: () => {
            const traceId = currentTraceId();
            return traceId ? { traceId } : {};
          },
          genReqId: (req) => (req as { id?: string }).id ?? '',
          customProps: () => ({}),
          autoLogging: { ignore: (req) => req.url === '/health' },
          redact: ['req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]'],
        },
        // The webhook is the hot path and writes its own audit line per update; no request logger for it.
        exclude: [{ method: RequestMethod.POST, path: 'tg/webhook' }],
      }),
    }),
  ],
})
export class LoggingModule {}
