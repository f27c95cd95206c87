import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { dataSourceOptions } from './database.options';
import { bindIntegerParameters } from './sqlite-parameters';
import { UnitOfWork } from './unit-of-work';

/** One DataSource for the process; each module registers its own entities with forFeature. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database),
        autoLoadEntities: true,
        migrationsRun: true,
        logging: false,
      }),
      dataSourceFactory: (options) => bindIntegerParameters(new DataSource(options!)).initialize(),
    }),
  ],
  providers: [UnitOfWork],
  exports: [UnitOfWork],
})
export class DatabaseModule {}
