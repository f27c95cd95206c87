import { randomUUID } from 'node:crypto';
import { CLS_ID, ClsServiceManager } from 'nestjs-cls';

const SAFE_TRACE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A caller-supplied X-Request-Id is kept when it is short and printable; otherwise a fresh UUID. */
export function traceIdFrom(header: unknown): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && SAFE_TRACE_ID.test(value) ? value : randomUUID();
}

/**
 * Background work (a Telegram update, later a queued job) runs in a nestjs-cls context of its own
 * whose store holds just the id: the same AsyncLocalStorage as HTTP requests, so the trace id has one
 * home. One storage matters on Node 20: every promise created while any AsyncLocalStorage is in use
 * pays, per storage, a megamorphic read and write in the promise hook: with three storages (nestjs-cls,
 * nestjs-pino's, a trace id one) perf put those inline caches at about 10% of the webhook's CPU.
 */
export function runWithTraceId<T>(traceId: string, work: () => T): T {
  return ClsServiceManager.getClsService().runWith({ [CLS_ID]: traceId }, work);
}

/** The trace id of the current request, update or job, if one is active. */
export function currentTraceId(): string | undefined {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? cls.getId() : undefined;
}
