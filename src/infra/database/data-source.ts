import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/app-config';
import { dataSourceOptions } from './database.options';

/** For the TypeORM CLI (`npm run migration:run` / `migration:revert`). */
export default new DataSource(dataSourceOptions(loadConfig().database));
