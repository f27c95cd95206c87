import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { AppConfig } from '../../config/app-config';
import { currentTraceId } from '../cls/trace';

/** Lines are written when 4 KB have gathered, or after at most this long. */
const FLUSH_EVERY_MS = 100;

/**
 * Standard output, written in batches: a busy bot logs a line per update, and one write per line
 * was a tenth of the webhook's CPU. Flushed every 100 ms and at exit; a process killed outright
 * (SIGKILL) loses at most the last 100 ms of log lines, never data.
 */
let stdout: ReturnType<typeof pino.destination> | undefined;
function batchedStdout(): pino.DestinationStream {
  if (!stdout) {
    // One per process, however many apps it builds (tests do).
    const destination = pino.destination({
      dest: 1,
      sync: true,
      minLength: 4096,
      periodicFlush: FLUSH_EVERY_MS,
    });
    process.once('exit', () => destination.flushSync());
    stdout = destination;
  }
  return stdout;
}

function isHealthProbe(url: string | undefined): boolean {
  return url === '/health' || url?.startsWith('/health?') === true;
}

/** Structured JSON logs; every line carries the trace id of the request, update or job it belongs to. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: [
          {
            level: config.logLevel,
            mixin: () => {
              const traceId = currentTraceId();
              return traceId ? { traceId } : {};
            },
            genReqId: (req) => (req as { id?: string }).id ?? '',
            customProps: () => ({}),
            // Health probes come every few seconds. In Nest's middleware on Fastify req.url is not the path
            // requested (probes were logged despite this rule); originalUrl is.
            autoLogging: {
              ignore: (req) => isHealthProbe((req as { originalUrl?: string }).originalUrl ?? req.url),
            },
            redact: ['req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]'],
          },
          batchedStdout(),
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
