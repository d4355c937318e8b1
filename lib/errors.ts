/**
 * One error type with stable codes. The engine runs in the server bundle and
 * route handlers in Next's, so `instanceof` cannot be trusted across them:
 * errors carry a global brand instead.
 */

import type { z } from "zod";

const BRAND = Symbol.for("gatehouse.AppError");

const ERROR_STATUS = {
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
  action_not_allowed: 409,
  conflict: 409,
  self_lockout: 409,
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

/**
 * The one shape of `details` for a validation failure (400 invalid_input),
 * whoever validates: route edges, the engine (a workflow's input schema).
 */
type ValidationIssue = { path: string; message: string; code: string };
export type ValidationDetails = { issues: ValidationIssue[] };

export function validationDetails(error: z.ZodError): ValidationDetails {
  return { issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code })) };
}

/** The same shape for one value refused outside a zod schema (a header, a cursor). */
export function invalidField(path: string, message: string): ValidationDetails {
  return { issues: [{ path, message, code: "custom" }] };
}
