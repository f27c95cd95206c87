import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { ClsServiceManager } from 'nestjs-cls';

const SAFE_TRACE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A caller-supplied X-Request-Id is kept when it is short and printable; otherwise a fresh UUID. */
export function traceIdFrom(header: unknown): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && SAFE_TRACE_ID.test(value) ? value : randomUUID();
}

/**
 * Background work (a Telegram update, later a queued job) carries its trace id in a storage of its
 * own, holding just the id; HTTP requests carry theirs in nestjs-cls. A nestjs-cls context per
 * update (options object, store object, the id set afterwards) cost more per update and promoted
 * more to the old generation under load (bench/webhook (a)).
 */
const background = new AsyncLocalStorage<string>();

/** Runs `work` with `traceId` as the trace id of everything it does, logs and audit rows included. */
export function runWithTraceId<T>(traceId: string, work: () => T): T {
  return background.run(traceId, work);
}

/** The trace id of the current request, update or job, if one is active. */
export function currentTraceId(): string | undefined {
  const own = background.getStore();
  if (own !== undefined) return own;
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? cls.getId() : undefined;
}
