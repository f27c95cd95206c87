import { randomUUID } from 'node:crypto';
import { ClsServiceManager } from 'nestjs-cls';

const SAFE_TRACE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A caller-supplied X-Request-Id is kept when it is short and printable; otherwise a fresh UUID. */
export function traceIdFrom(header: unknown): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && SAFE_TRACE_ID.test(value) ? value : randomUUID();
}

/** The trace id of the current request, update or job, if one is active. */
export function currentTraceId(): string | undefined {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? cls.getId() : undefined;
}
