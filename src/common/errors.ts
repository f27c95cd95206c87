/** Stable, machine-readable error codes shared by REST bodies and bot replies. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  /** A work interval overlapping another of the same specialist, and any 409 the framework raises itself. */
  Conflict = 'conflict',
  AlreadyExists = 'already_exists',
  PayloadTooLarge = 'payload_too_large',
  TooManyRequests = 'too_many_requests',
  SlotTaken = 'slot_taken',
  SlotUnavailable = 'slot_unavailable',
  ClientOverlap = 'client_overlap',
  IllegalTransition = 'illegal_transition',
  CancellationCutoff = 'cancellation_cutoff',
  NotStarted = 'not_started',
  TooSoon = 'too_soon',
  BeyondHorizon = 'beyond_horizon',
  InUse = 'in_use',
  ServiceUnavailable = 'service_unavailable',
  Internal = 'internal_error',
  LastAdmin = 'last_admin',
  RequestTimeout = 'request_timeout',
  HeadersTooLarge = 'headers_too_large',
  MalformedRequest = 'malformed_request',
  UnsupportedMediaType = 'unsupported_media_type',
  PushEndpointTaken = 'push_endpoint_taken',
  /** The change refers to a row that does not exist, or deletes one still referenced. */
  BrokenReference = 'broken_reference',
  /** A blocked user cannot be booked. */
  UserBlocked = 'user_blocked',
  /** A schedule entry for a specialist at a location they do not work at. */
  NotAtLocation = 'not_at_location',
  /** A schedule exception clashing with another on the same date. */
  ExceptionClash = 'exception_clash',
}

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.AlreadyExists]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.TooManyRequests]: 429,
  [ErrorCode.SlotTaken]: 409,
  [ErrorCode.SlotUnavailable]: 409,
  [ErrorCode.ClientOverlap]: 409,
  [ErrorCode.IllegalTransition]: 409,
  [ErrorCode.CancellationCutoff]: 409,
  [ErrorCode.NotStarted]: 409,
  [ErrorCode.TooSoon]: 422,
  [ErrorCode.BeyondHorizon]: 422,
  [ErrorCode.InUse]: 409,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.Internal]: 500,
  [ErrorCode.LastAdmin]: 409,
  [ErrorCode.RequestTimeout]: 408,
  [ErrorCode.HeadersTooLarge]: 431,
  [ErrorCode.MalformedRequest]: 400,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.PushEndpointTaken]: 409,
  [ErrorCode.BrokenReference]: 409,
  [ErrorCode.UserBlocked]: 409,
  [ErrorCode.NotAtLocation]: 409,
  [ErrorCode.ExceptionClash]: 409,
};

/** A failure the caller can act on; transports map it (HTTP status + body, localized bot reply). */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return STATUS[this.code];
  }

  static notFound(entity: string, id?: number | string): DomainError {
    return new DomainError(
      ErrorCode.NotFound,
      id === undefined ? `${entity} not found` : `${entity} ${id} not found`,
    );
  }

  static forbidden(message = 'This role may not do that'): DomainError {
    return new DomainError(ErrorCode.Forbidden, message);
  }

  static conflict(code: ErrorCode, message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(code, message, details);
  }

  static invalid(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(ErrorCode.ValidationFailed, message, details);
  }
}
