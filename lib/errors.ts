/**
 * One error type with stable codes. The engine runs in the server bundle and
 * route handlers in Next's, so `instanceof` cannot be trusted across them:
 * errors carry a global brand instead.
 */

const BRAND = Symbol.for("gatehouse.AppError");

export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_input: 400,
  unknown_workflow: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  cross_origin: 403,
  not_found: 404,
  invalid_transition: 409,
  checkpoint_already_resolved: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }

  toResponse(): Response {
    return Response.json(this.toJSON(), { status: this.status, headers: this.headers });
  }
}

export function isAppError(error: unknown): error is AppError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The one shape of validation details: every failed field, with its path, message and zod code. */
export function validationDetails(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code: string }>;
}) {
  return { issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code })) };
}
