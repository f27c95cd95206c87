import { Global, Module } from '@nestjs/common';
import { CatalogCache } from './catalog-cache';

/**
 * The one CatalogCache of the process. Global because the slots engine builds BookingModule's
 * AvailabilityReader inside its own module (SlotsModule.withAvailability), where it must reach the same cache.
 */
@Global()
@Module({ providers: [CatalogCache], exports: [CatalogCache] })
export class CatalogModule {}
