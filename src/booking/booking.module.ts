import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BookingsApi } from './api/bookings.api';
import { AvailabilityReaderService } from './availability/availability-reader.service';
import { LocationsApi } from './api/locations.api';
import { OutboxApi } from './api/outbox.api';
import { UsersApi } from './api/users.api';
import {
  BookingClaimEntity,
  BookingEntity,
  BookingStatusHistoryEntity,
  OutboxEventEntity,
} from './entities/booking.entity';
import { BookingsController } from './bookings/bookings.controller';
import { BookingsService } from './bookings/bookings.service';
import { OutboxService } from './bookings/outbox.service';
import { BookingAlarms } from './bookings/booking-alarms';
import { CatalogModule } from './catalog/catalog.module';
import { BusinessSettingsEntity } from './entities/business-settings.entity';
import { LocationEntity } from './entities/location.entity';
import { ScheduleExceptionEntity, WorkIntervalEntity } from './entities/schedule.entity';
import { ServiceEntity } from './entities/service.entity';
import {
  SpecialistEntity,
  SpecialistLocationEntity,
  SpecialistServiceEntity,
} from './entities/specialist.entity';
import { UserEntity } from './entities/user.entity';
import { LocationsController } from './locations/locations.controller';
import { LocationsService } from './locations/locations.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { UserRegistry } from './users/user-registry';
import { SlotsModule } from '../slots/slots.module';
import { ServicesApi } from './api/services.api';
import { ServicesController } from './services/services.controller';
import { ServicesService } from './services/services.service';
import { SpecialistsApi } from './api/specialists.api';
import { SpecialistsController } from './specialists/specialists.controller';
import { SpecialistsService } from './specialists/specialists.service';
import { SchedulesApi } from './api/schedules.api';
import { SchedulesController } from './schedules/schedules.controller';
import { SchedulesService } from './schedules/schedules.service';
import { SettingsApi } from './api/settings.api';
import { SettingsController } from './settings/settings.controller';
import { SettingsService } from './settings/settings.service';
import { ReportsApi } from './api/reports.api';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';

const SLOTS = SlotsModule.withAvailability(AvailabilityReaderService);

/** Salon data and the booking lifecycle (and, re-exported, the slots engine over them); other modules see only the contracts in ./api. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      UserEntity,
      LocationEntity,
      ServiceEntity,
      SpecialistEntity,
      SpecialistLocationEntity,
      SpecialistServiceEntity,
      WorkIntervalEntity,
      ScheduleExceptionEntity,
      BookingEntity,
      BookingStatusHistoryEntity,
      BookingClaimEntity,
      OutboxEventEntity,
      BusinessSettingsEntity,
    ]),
    CatalogModule,
    // The slots engine reads these tables through its AvailabilityReader port; the lifecycle uses SlotChecks and BookingLock.
    SLOTS,
  ],
  controllers: [
    UsersController,
    LocationsController,
    ServicesController,
    SpecialistsController,
    SchedulesController,
    SettingsController,
    BookingsController,
    ReportsController,
  ],
  providers: [
    { provide: UsersApi, useClass: UsersService },
    { provide: LocationsApi, useClass: LocationsService },
    { provide: ServicesApi, useClass: ServicesService },
    { provide: SpecialistsApi, useClass: SpecialistsService },
    { provide: SchedulesApi, useClass: SchedulesService },
    { provide: SettingsApi, useClass: SettingsService },
    { provide: BookingsApi, useClass: BookingsService },
    { provide: ReportsApi, useClass: ReportsService },
    OutboxService,
    UserRegistry,
    { provide: OutboxApi, useExisting: OutboxService },
    BookingAlarms,
  ],
  exports: [
    UsersApi,
    LocationsApi,
    ServicesApi,
    SpecialistsApi,
    SchedulesApi,
    SettingsApi,
    BookingsApi,
    ReportsApi,
    OutboxApi,
    SLOTS,
  ],
})
export class BookingModule {}
