import { ADMIN } from "./server";

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

/**
 * A small HTTP client that behaves like the browser app: JSON, same-origin Origin, session cookie.
 * With `{ sendOrigin: false }` it behaves like an API client instead (no Origin header on mutations).
 */
export class Api {
  private cookie: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly bearer?: string,
    private readonly options: { sendOrigin?: boolean } = {},
  ) {}

  /** The `name=value` session cookie this client holds, if signed in. */
  get sessionCookie(): string | undefined {
    return this.cookie;
  }

  async request<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (method !== "GET") {
      if (this.options.sendOrigin !== false) headers.origin = this.baseUrl;
      headers["content-type"] = "application/json";
    }
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...options.headers },
      body:
        options.rawBody ??
        (options.body === undefined ? (method === "GET" ? undefined : "{}") : JSON.stringify(options.body)),
    });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0];
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (e.g. CSV): keep the text
    }
    return { status: res.status, body: body as T, headers: res.headers };
  }

  get<T = any>(path: string) {
    return this.request<T>("GET", path);
  }

  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>("POST", path, { body, headers });
  }

  async login(email = ADMIN.email, password = ADMIN.password): Promise<this> {
    const res = await this.post("/api/auth/login", { email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this;
  }
}

/** Polls `check` until it returns a truthy value (the engine works asynchronously after a 201/200). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function waitForRunStatus(api: Api, runId: string, status: string, timeoutMs?: number) {
  return waitFor(
    async () => {
      const res = await api.get(`/api/workflows/${runId}`);
      return res.body?.run?.status === status ? res.body : undefined;
    },
    timeoutMs,
    `run ${runId} to be ${status}`,
  );
}

export async function pendingCheckpoint(api: Api, runId: string) {
  return waitFor(
    async () => {
      const res = await api.get(`/api/checkpoints?status=pending&runId=${runId}`);
      return res.body?.items?.[0];
    },
    15_000,
    `a pending checkpoint on run ${runId}`,
  );
}
