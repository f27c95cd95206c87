import { DynamicModule, Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClsModule } from 'nestjs-cls';
import { traceIdFrom } from './trace';

const isGlobalEnhancer = (p: Provider) =>
  typeof p === 'object' && 'provide' in p && (p.provide === APP_GUARD || p.provide === APP_INTERCEPTOR);

/**
 * nestjs-cls with its middleware: one context per HTTP request, its id the X-Request-Id (kept when
 * sane, else a UUID) and echoed back. nestjs-cls also registers a global guard and interceptor, which
 * do nothing unless mounted; they are left out, because one global interceptor makes Nest wrap every
 * handler (REST and bot alike) in an Observable and an AsyncResource.bind, which is deprecated and
 * slow on Node 20: 2-3% of a booking's CPU and of a bot reply's.
 */
export function requestContextModule(): DynamicModule {
  const cls = ClsModule.forRoot({
    global: true,
    middleware: {
      mount: true,
      generateId: true,
      idGenerator: (req: { headers: Record<string, unknown> }) => traceIdFrom(req.headers['x-request-id']),
      setup: (context, _req, res: { setHeader(name: string, value: string): void }) =>
        res.setHeader('x-request-id', context.getId()),
    },
  });
  const imports = (cls.imports ?? []).map((imported) => {
    const dynamic = imported as DynamicModule;
    return dynamic.providers
      ? { ...dynamic, providers: dynamic.providers.filter((p) => !isGlobalEnhancer(p)) }
      : imported;
  });
  return { ...cls, imports };
}
