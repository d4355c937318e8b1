import type {
  ApiTokenDto,
  ApiTokenResponse,
  CheckpointDto,
  CheckpointResponse,
  CheckpointSummaryDto,
  CreatedApiTokenResponse,
  DecisionResponse,
  DefinitionsResponse,
  EventsResponse,
  Page,
  RunDetailResponse,
  RunDto,
  RunResponse,
  RunSummaryDto,
  UserDto,
  UserResponse,
  WorkflowDefinitionDto,
} from "@/lib/api/types";
import { ADMIN } from "./server";

/**
 * A raw response. The body is untyped (`any`) on purpose: raw requests are for
 * checking statuses and error bodies; the typed methods below are for reading.
 */
// biome-ignore lint/suspicious/noExplicitAny: a raw response may be any shape; typed methods narrow it
export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

type Query = Record<string, string | number | undefined>;
type Decision = { action: "approve" | "edit" | "reject"; content?: string; notes?: string };

/** `?a=1&b=2` from the defined values (encoded). */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

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

  // biome-ignore lint/suspicious/noExplicitAny: see ApiResponse
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

  // biome-ignore lint/suspicious/noExplicitAny: see ApiResponse
  get<T = any>(path: string) {
    return this.request<T>("GET", path);
  }

  // biome-ignore lint/suspicious/noExplicitAny: see ApiResponse
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>("POST", path, { body, headers });
  }

  async login(email = ADMIN.email, password = ADMIN.password): Promise<this> {
    const res = await this.post("/api/auth/login", { email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this;
  }

  // Typed reads and writes that expect success (a failure throws with the error body).

  async me(): Promise<UserDto> {
    return (await this.expectOk<UserResponse>("GET", "/api/auth/me")).user;
  }

  async definitions(): Promise<WorkflowDefinitionDto[]> {
    return (await this.expectOk<DefinitionsResponse>("GET", "/api/workflow-definitions")).items;
  }

  async startRun(workflow: string, input: Record<string, unknown> = {}): Promise<RunDto> {
    return (await this.expectOk<RunResponse>("POST", "/api/workflows", { workflow, input })).run;
  }

  runs(query: Query = {}): Promise<Page<RunSummaryDto>> {
    return this.expectOk("GET", `/api/workflows${queryString(query)}`);
  }

  run(runId: string): Promise<RunDetailResponse> {
    return this.expectOk("GET", `/api/workflows/${runId}`);
  }

  async cancel(runId: string): Promise<RunDto> {
    return (await this.expectOk<RunResponse>("POST", `/api/workflows/${runId}/cancel`)).run;
  }

  checkpoints(query: Query = {}): Promise<Page<CheckpointSummaryDto>> {
    return this.expectOk("GET", `/api/checkpoints${queryString(query)}`);
  }

  async checkpoint(checkpointId: string): Promise<CheckpointDto> {
    return (await this.expectOk<CheckpointResponse>("GET", `/api/checkpoints/${checkpointId}`)).checkpoint;
  }

  resolve(checkpointId: string, decision: Decision): Promise<DecisionResponse> {
    return this.expectOk("POST", `/api/checkpoints/${checkpointId}/resolve`, decision);
  }

  events(query: { after?: number; limit?: number } = {}): Promise<EventsResponse> {
    return this.expectOk("GET", `/api/events${queryString(query)}`);
  }

  /** An admin creates an API token; the answer holds both secrets (shown this once). */
  createToken(name: string, scopes: readonly string[]): Promise<CreatedApiTokenResponse> {
    return this.expectOk("POST", "/api/tokens", { name, scopes });
  }

  async revokeToken(tokenId: string): Promise<ApiTokenDto> {
    return (await this.expectOk<ApiTokenResponse>("DELETE", `/api/tokens/${tokenId}`)).token;
  }

  private async expectOk<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request<T>(method, path, { body });
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return res.body;
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

export async function waitForRunStatus(
  api: Api,
  runId: string,
  status: RunDto["status"],
  timeoutMs?: number,
): Promise<RunDetailResponse> {
  return waitFor(
    async () => {
      const detail = await api.run(runId);
      return detail.run.status === status ? detail : undefined;
    },
    timeoutMs,
    `run ${runId} to be ${status}`,
  );
}

/**
 * Waits for the pending checkpoint of `runId` (at `step` and `round`, if given) and returns it in full
 * (the list carries only a preview). Used by tests/ and e2e/.
 */
export async function pendingCheckpoint(
  api: Api,
  runId: string,
  step?: string,
  round?: number,
): Promise<CheckpointDto> {
  const summary = await waitFor<CheckpointSummaryDto>(
    async () => {
      const page = await api.checkpoints({ status: "pending", runId, step });
      return page.items.find((c) => round === undefined || c.round === round);
    },
    15_000,
    `a pending checkpoint${step ? ` ${step}` : ""} on run ${runId}`,
  );
  return api.checkpoint(summary.id);
}
