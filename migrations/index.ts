import { InitialSchema1764489600000 } from './1764489600000-initial-schema';
import { IdempotencyKeys1765200000000 } from './1765200000000-idempotency-keys';

/** Every migration in order; listed explicitly so the app, the CLI and tests load the same set without globs. */
export const ALL_MIGRATIONS = [InitialSchema1764489600000, IdempotencyKeys1765200000000];
