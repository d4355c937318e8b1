/**
 * The browser's transport to the API: JSON both ways, the one error shape
 * turned into an ApiError. Pages and hooks call the typed functions of
 * lib/api/endpoints.ts, not this directly.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function apiFetch<T>(
  path: string,
  options: { method?: "GET" | "POST" | "PATCH" | "DELETE"; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const method = options.method ?? "GET";
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: method === "GET" ? options.headers : { "content-type": "application/json", ...options.headers },
    body: method === "GET" ? undefined : JSON.stringify(options.body ?? {}),
  });
  const text = await res.text();
  const data = text ? safeJson(text) : null;
  if (!res.ok) {
    const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? "http_error",
      error?.message ?? `Request failed (${res.status})`,
      error?.details,
    );
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A random key for Idempotency-Key (crypto.randomUUID needs a secure context; this works over plain http too). */
export function newRequestKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
