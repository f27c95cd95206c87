import { InitialSchema1764489600000 } from './1764489600000-initial-schema';
import { Sessions1765100000000 } from './1765100000000-sessions';
import { SettingsLanguageCurrency1765100100000 } from './1765100100000-settings-language-currency';
import { PhoneVerified1765100200000 } from './1765100200000-phone-verified';
import { IdempotencyKeys1765200000000 } from './1765200000000-idempotency-keys';
import { UserUsername1765500000000 } from './1765500000000-user-username';

/** Every migration in order; listed explicitly so the app, the CLI and tests load the same set without globs. */
export const ALL_MIGRATIONS = [
  InitialSchema1764489600000,
  Sessions1765100000000,
  SettingsLanguageCurrency1765100100000,
  PhoneVerified1765100200000,
  IdempotencyKeys1765200000000,
  UserUsername1765500000000,
];
