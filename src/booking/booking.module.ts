import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AvailabilityReader } from './api/availability.api';
import { AvailabilityReaderService } from './availability/availability-reader.service';
import { LocationsApi } from './api/locations.api';
import { UsersApi } from './api/users.api';
import {
  BookingClaimEntity,
  BookingEntity,
  BookingStatusHistoryEntity,
  OutboxEventEntity,
} from './entities/booking.entity';
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

/** Salon data and the booking lifecycle; other modules see only the contracts in ./api. */
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
  ],
  controllers: [UsersController, LocationsController],
  providers: [
    { provide: UsersApi, useClass: UsersService },
    { provide: LocationsApi, useClass: LocationsService },
    { provide: AvailabilityReader, useClass: AvailabilityReaderService },
  ],
  exports: [UsersApi, LocationsApi, AvailabilityReader],
})
export class BookingModule {}
