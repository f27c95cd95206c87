import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BookingLock, SlotsApi, StartCheck, StartCheckResult } from '../../src/slots/api';

/** Until the SlotsModule lands: every aligned start is free, at the specialist's own or the service's duration and price. */
@Injectable()
class FakeSlots extends SlotsApi {
  invalidations: number[] = [];
  constructor(private readonly ds: DataSource) {
    super();
  }
  async checkStart(check: StartCheck): Promise<StartCheckResult> {
    const rows = await this.ds.query(
      `SELECT COALESCE(ss.duration_min, s.duration_min) AS d, COALESCE(ss.price, s.price) AS p
         FROM services s JOIN specialist_services ss ON ss.service_id = s.id
        WHERE s.id = ? AND ss.specialist_id = ?`,
      [check.serviceId, check.specialistId],
    );
    if (!rows.length) return { ok: false, reason: 'not_offered' };
    return { ok: true, durationMin: Number(rows[0].d), price: Number(rows[0].p) };
  }
  async invalidateLocation(locationId: number): Promise<void> {
    this.invalidations.push(locationId);
  }
}

@Injectable()
class NoLock extends BookingLock {
  withLock<T>(_locationId: number, _localDate: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

@Global()
@Module({ providers: [{ provide: SlotsApi, useClass: FakeSlots }, { provide: BookingLock, useClass: NoLock }], exports: [SlotsApi, BookingLock] })
export class FakeSlotsModule {}
