import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small OpenAI-compatible Chat Completions server on loopback, for tests that run Gatehouse's model agents
 * against something real (no mocked modules). `POST /v1/chat/completions` answers like the OpenAI API:
 *
 * - `stream: true` → Server-Sent Events, one `data: <chat.completion.chunk>\n\n` per chunk: first
 *   `delta: {role: "assistant", content: ""}`, then `delta: {content}` per piece of the reply, then `delta: {}`
 *   with `finish_reason: "stop"`; with `stream_options.include_usage` every chunk carries `usage: null` and a
 *   last chunk has `choices: []` and the usage; then `data: [DONE]`.
 * - `stream: false` → one `chat.completion` object with `message` and `usage`.
 * - a failure → the status and OpenAI's error body `{"error": {message, type, param, code}}`.
 *
 * Tokens are counted as whitespace-separated words, so tests can predict usage (`countTokens`).
 */

type ChatMessage = { role: string; content: string | Array<{ type: string; text?: string }> };

/** One request as it reached the model server. */
type ModelRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** the parsed JSON body (undefined when it was not JSON) */
  // biome-ignore lint/suspicious/noExplicitAny: whatever the client sent; tests assert on its fields
  body: any;
  /** conveniences over `body` and `headers` */
  model: string | undefined;
  messages: ChatMessage[];
  stream: boolean;
  authorization: string | undefined;
  /** when the request arrived (ms since epoch), for checking retry waits */
  receivedAt: number;
};

type ReplyFunction = (request: ModelRequest) => string;

type StreamingOptions = {
  /** characters per content chunk (default 8) */
  chunkSize?: number;
  /** pause before each content chunk, for watching text arrive live (default 0) */
  delayMs?: number;
};

/** What the server does with one request. Queue them with `server.enqueue(...)`; the rest get the reply. */
export type ScriptedResponse =
  | ({ kind: "reply"; text: string } & StreamingOptions)
  | { kind: "http-error"; status: number; error: OpenAIError; retryAfterSeconds?: number }
  /** streams the role chunk and `afterChunks` content chunks, then destroys the socket (no finish, no [DONE]) */
  | { kind: "cut"; afterChunks: number }
  /** streams the role chunk and `afterChunks` content chunks, then sends nothing more and keeps the socket open */
  | { kind: "stall"; afterChunks: number }
  /** reads the request and never answers: no status line, no headers */
  | { kind: "hang" };

type OpenAIError = { message: string; type: string | null; param: string | null; code: string | null };

/** The failures a real OpenAI-compatible server produces, as OpenAI words them. */
export const modelFailure = {
  serverError: (): ScriptedResponse => ({
    kind: "http-error",
    status: 500,
    error: {
      message: "The server had an error while processing your request. Sorry about that!",
      type: "server_error",
      param: null,
      code: null,
    },
  }),
  rateLimited: (retryAfterSeconds: number): ScriptedResponse => ({
    kind: "http-error",
    status: 429,
    retryAfterSeconds,
    error: {
      message: "Rate limit reached for requests. Please try again later.",
      type: "requests",
      param: null,
      code: "rate_limit_exceeded",
    },
  }),
  invalidApiKey: (): ScriptedResponse => ({
    kind: "http-error",
    status: 401,
    error: {
      message: "Incorrect API key provided",
      type: "invalid_request_error",
      param: null,
      code: "invalid_api_key",
    },
  }),
  badRequest: (message = "This model's maximum context length was exceeded."): ScriptedResponse => ({
    kind: "http-error",
    status: 400,
    error: { message, type: "invalid_request_error", param: "messages", code: null },
  }),
  cutAfter: (afterChunks: number): ScriptedResponse => ({ kind: "cut", afterChunks }),
  stallAfter: (afterChunks: number): ScriptedResponse => ({ kind: "stall", afterChunks }),
  neverStarts: (): ScriptedResponse => ({ kind: "hang" }),
};

export type FakeModelServer = {
  /** e.g. `http://127.0.0.1:41234/v1`: what `MODEL_BASE_URL` / `createOpenAICompatible({ baseURL })` take */
  baseURL: string;
  /** every request received, in order (recorded before it is answered) */
  requests: ModelRequest[];
  /** the reply to requests with nothing queued (default: `echoLastUserMessage`, 8 characters a chunk, no delay) */
  reply(reply: string | ReplyFunction, options?: StreamingOptions): void;
  /** behaviours for the next requests, one per request, in order */
  enqueue(...responses: ScriptedResponse[]): void;
  /** ends every connection (hanging and stalled ones included) and stops listening */
  close(): Promise<void>;
};

export function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  return message.content.map((part) => part.text ?? "").join("");
}

/** The default reply: deterministic, and it shows what the model was asked. */
function echoLastUserMessage(request: ModelRequest): string {
  const lastUser = request.messages.filter((message) => message.role === "user").at(-1);
  return `Echo: ${lastUser ? messageText(lastUser) : ""}`;
}

export async function startFakeModelServer(): Promise<FakeModelServer> {
  const requests: ModelRequest[] = [];
  const queue: ScriptedResponse[] = [];
  let defaultReply: ReplyFunction = echoLastUserMessage;
  let defaultStreaming: Required<StreamingOptions> = { chunkSize: 8, delayMs: 0 };
  // aborts the pauses between chunks on close(), so nothing writes to a destroyed socket afterwards
  const closing = new AbortController();
  let completionCount = 0;

  const server = createServer((req, res) => {
    // a client that goes away mid-request only ends its own exchange
    handle(req, res).catch(() => res.destroy());
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const request = await readRequest(req);
    requests.push(request);
    if (req.method !== "POST" || request.path !== "/v1/chat/completions") {
      sendError(res, 404, {
        message: `Invalid URL (${req.method} ${request.path})`,
        type: "invalid_request_error",
        param: null,
        code: null,
      });
      return;
    }
    if (request.body === undefined) {
      sendError(res, 400, {
        message: "We could not parse the JSON body of your request.",
        type: "invalid_request_error",
        param: null,
        code: null,
      });
      return;
    }
    const scripted = queue.shift() ?? { kind: "reply", text: defaultReply(request), ...defaultStreaming };
    completionCount += 1;
    const completion = new Completion(request, `chatcmpl-fake${completionCount}`);
    await answer(res, completion, scripted, { ...defaultStreaming, replyText: defaultReply }, closing.signal);
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    reply(reply, options = {}) {
      defaultReply = typeof reply === "string" ? () => reply : reply;
      defaultStreaming = { chunkSize: options.chunkSize ?? 8, delayMs: options.delayMs ?? 0 };
    },
    enqueue(...responses) {
      queue.push(...responses);
    },
    close() {
      closing.abort();
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function readRequest(req: IncomingMessage): Promise<ModelRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: ModelRequest["body"];
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    body = undefined;
  }
  return {
    method: req.method ?? "",
    path: new URL(req.url ?? "/", "http://localhost").pathname,
    headers: req.headers,
    body,
    model: body?.model,
    messages: Array.isArray(body?.messages) ? body.messages : [],
    stream: body?.stream === true,
    authorization: req.headers.authorization,
    receivedAt: Date.now(),
  };
}

function sendError(res: ServerResponse, status: number, error: OpenAIError, retryAfterSeconds?: number) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  res.writeHead(status, headers).end(JSON.stringify({ error }));
}

async function answer(
  res: ServerResponse,
  completion: Completion,
  scripted: ScriptedResponse,
  defaults: Required<StreamingOptions> & { replyText: ReplyFunction },
  closing: AbortSignal,
) {
  switch (scripted.kind) {
    case "hang":
      return;
    case "http-error":
      sendError(res, scripted.status, scripted.error, scripted.retryAfterSeconds);
      return;
    case "reply": {
      const options = {
        chunkSize: scripted.chunkSize ?? defaults.chunkSize,
        delayMs: scripted.delayMs ?? defaults.delayMs,
      };
      if (!completion.request.stream) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion.whole(scripted.text)));
        return;
      }
      await streamReply(res, completion, scripted.text, options, closing);
      return;
    }
    case "cut":
    case "stall": {
      // the first pieces of the reply the request would have had, so a test knows what arrived before the break
      const text = defaults.replyText(completion.request);
      const pieces = splitIntoChunks(text, defaults.chunkSize).slice(0, scripted.afterChunks);
      startEventStream(res);
      await writeEvent(res, completion.chunk({ role: "assistant", content: "" }, null));
      for (const piece of pieces) await writeEvent(res, completion.chunk({ content: piece }, null));
      if (scripted.kind === "cut") res.socket?.destroy();
      return;
    }
  }
}

async function streamReply(
  res: ServerResponse,
  completion: Completion,
  text: string,
  options: Required<StreamingOptions>,
  closing: AbortSignal,
) {
  startEventStream(res);
  await writeEvent(res, completion.chunk({ role: "assistant", content: "" }, null));
  for (const piece of splitIntoChunks(text, options.chunkSize)) {
    if (options.delayMs > 0 && !(await pause(options.delayMs, closing))) return;
    if (res.destroyed) return;
    await writeEvent(res, completion.chunk({ content: piece }, null));
  }
  await writeEvent(res, completion.chunk({}, "stop"));
  if (completion.request.body?.stream_options?.include_usage === true) {
    await writeEvent(res, completion.usageChunk(text));
  }
  res.end("data: [DONE]\n\n");
}

function startEventStream(res: ServerResponse) {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
}

/** Resolves once the event is handed to the socket, so a cut after N chunks really delivers N chunks. */
function writeEvent(res: ServerResponse, data: unknown): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => res.write(`data: ${JSON.stringify(data)}\n\n`, () => resolve()));
}

function splitIntoChunks(text: string, chunkSize: number): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += chunkSize) pieces.push(text.slice(index, index + chunkSize));
  return pieces;
}

/** false when the server closed during the pause */
function pause(ms: number, closing: AbortSignal): Promise<boolean> {
  if (closing.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    closing.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve(false);
      },
      { once: true },
    );
  });
}

/** The objects of one completion, shaped as OpenAI's `chat.completion` and `chat.completion.chunk`. */
class Completion {
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly includeUsage: boolean;

  constructor(
    readonly request: ModelRequest,
    private readonly id: string,
  ) {
    this.includeUsage = request.body?.stream_options?.include_usage === true;
  }

  private header(object: "chat.completion" | "chat.completion.chunk") {
    return {
      id: this.id,
      object,
      created: this.created,
      model: this.request.model ?? "unknown",
      system_fingerprint: "fp_fake",
    };
  }

  chunk(delta: Record<string, string>, finishReason: "stop" | null) {
    return {
      ...this.header("chat.completion.chunk"),
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(this.includeUsage ? { usage: null } : {}),
    };
  }

  usageChunk(text: string) {
    return { ...this.header("chat.completion.chunk"), choices: [], usage: this.usage(text) };
  }

  whole(text: string) {
    return {
      ...this.header("chat.completion"),
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: text, refusal: null },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: this.usage(text),
    };
  }

  private usage(text: string) {
    const promptTokens = this.request.messages.reduce((sum, message) => sum + countTokens(messageText(message)), 0);
    const completionTokens = countTokens(text);
    return {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    };
  }
}
