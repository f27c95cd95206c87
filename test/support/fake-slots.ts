import { DataSource } from 'typeorm';
import { BookingLock, SlotsApi, StartCheck, StartCheckResult } from '../../src/slots/api';
import type { ProviderOverride, TestApp } from './test-app';

/** Until the SlotsModule lands: every aligned start is free, at the specialist's own or the service's duration and price. */
class FakeSlots extends SlotsApi {
  ds: DataSource | undefined;
  async checkStart(check: StartCheck): Promise<StartCheckResult> {
    const rows = await this.ds!.query(
      `SELECT COALESCE(ss.duration_min, s.duration_min) AS d, COALESCE(ss.price, s.price) AS p
         FROM services s JOIN specialist_services ss ON ss.service_id = s.id
        WHERE s.id = ? AND ss.specialist_id = ?`,
      [check.serviceId, check.specialistId],
    );
    if (!rows.length) return { ok: false, reason: 'not_offered' };
    return { ok: true, durationMin: Number(rows[0].d), price: Number(rows[0].p) };
  }
  async invalidateLocation(): Promise<void> {}
}

class NoLock extends BookingLock {
  withLock<T>(_locationId: number, _localDate: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

export function fakeSlots(): { overrides: ProviderOverride[]; attach(t: TestApp): TestApp } {
  const slots = new FakeSlots();
  return {
    overrides: [
      { provide: SlotsApi, useValue: slots },
      { provide: BookingLock, useValue: new NoLock() },
    ],
    attach(t) {
      slots.ds = t.get(DataSource);
      return t;
    },
  };
}

export async function startWithFakeSlots(env: Record<string, string> = {}): Promise<TestApp> {
  const { TestApp } = await import('./test-app');
  const fake = fakeSlots();
  return fake.attach(await TestApp.start(env, { overrides: fake.overrides }));
}
