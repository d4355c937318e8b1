import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { AppError, invalidField, isAppError, validationDetails } from "@/lib/errors";
import { logger } from "@/lib/logger";

const MAX_BODY_BYTES = 1024 * 1024;
// how much of an oversized body is read and dropped so the client can read its 413
const DRAIN_BYTES = 8 * MAX_BODY_BYTES;
const DRAIN_MS = 2000;

type Handler<P> = (req: NextRequest, params: P) => Promise<Response> | Response;

/** Wraps a route handler: every failure becomes the one error shape; unexpected ones are logged, never leaked. */
export function route<P = Record<string, never>>(handler: Handler<P>) {
  return async (req: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    try {
      return await handler(req, await context.params);
    } catch (error) {
      if (isAppError(error)) return error.toResponse();
      logger.error({ err: error, method: req.method, path: req.nextUrl.pathname }, "unhandled error in route");
      return new AppError("internal", "Something went wrong on our side").toResponse();
    }
  };
}

/** Reads at most 1 MB while streaming (route handlers have no limit of their own), then parses and validates. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await drain(reader);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let json: unknown;
  try {
    json = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new AppError("invalid_input", "The request body is invalid", validationDetails(parsed.error));
  return parsed.data;
}

/**
 * Reads and drops what is left of an oversized body, up to a bound, before the
 * 413 goes out: a client still sending when the server answers and closes gets
 * a broken pipe instead of the answer. Past the bound the connection is cut.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const deadline = Date.now() + DRAIN_MS;
  let drained = 0;
  while (drained < DRAIN_BYTES && Date.now() < deadline) {
    const { done, value } = await reader.read();
    if (done) return;
    drained += value.byteLength;
  }
  await reader.cancel();
}

export function readQuery<S extends z.ZodType>(req: NextRequest, schema: S): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!parsed.success)
    throw new AppError("invalid_input", "The query string is invalid", validationDetails(parsed.error));
  return parsed.data;
}

/**
 * A request header through its schema (e.g. `Idempotency-Key`): undefined when
 * absent, a 400 naming the header when present but invalid (the schema's
 * messages say what is wrong, so they become the error message).
 */
export function readHeader<S extends z.ZodType>(req: Request, name: string, schema: S): z.infer<S> | undefined {
  const raw = req.headers.get(name);
  if (raw === null) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "invalid value";
    throw new AppError("invalid_input", message, invalidField(name, message));
  }
  return parsed.data;
}

/**
 * The rest of the body is never read, so the connection cannot carry another
 * request: say so, or a keep-alive client reuses a socket the server drops.
 */
function tooLarge(): AppError {
  return new AppError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES} bytes`, undefined, {
    Connection: "close",
  });
}
