import { AppError } from "@/lib/errors";

/** Unknown API paths answer in the one error shape, not with an HTML page. */
function notFound(req: Request): Response {
  return new AppError("not_found", `No API endpoint ${req.method} ${new URL(req.url).pathname}`).toResponse();
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
