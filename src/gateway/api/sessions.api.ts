import type { Actor, ClientType } from '../../common/actor';

export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

/** Opaque bearer tokens for the REST API (integrations, the init-admin script, the OTP web client). */
export abstract class SessionsApi {
  abstract issue(userId: number, clientType: ClientType): Promise<IssuedToken>;
  abstract revoke(token: string): Promise<void>;
  /**
   * Who holds the token: null when it is unknown, expired, or its user is gone or blocked. The role
   * is read from the user row each time, so a role change or a block applies at once. Needs only the
   * database (sessions are stored there, hashed), so it keeps working while Redis is down.
   */
  abstract authenticate(token: string): Promise<Actor | null>;
}
