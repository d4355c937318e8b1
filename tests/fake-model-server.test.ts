/**
 * The fake model server (tests/helpers/fake-model-server.ts) driven by the real AI SDK, exactly as the engine
 * calls it: `createOpenAICompatible({ includeUsage: true })` + `streamText({ maxRetries: 0, abortSignal })`.
 *
 * How a failed `streamText` call surfaces in ai@6 (6.0.x, @ai-sdk/openai-compatible 2.0.x), with maxRetries: 0
 * (pinned below). `streamText` itself never throws; what it does depends on where the failure happens:
 *
 * 1. HTTP error before the stream (400/401/403/404/429/5xx) or no connection at all:
 *    - `fullStream` yields `{ type: "error", error }` and then ends normally; `onError({ error })` gets the same
 *      object (the default `onError` is `console.error`, so always pass one).
 *    - `error` is an `APICallError` (`APICallError.isInstance(error)`, from "ai"):
 *      `statusCode` (undefined when nothing answered), `message` = the server's `error.message` from the
 *      OpenAI-style body (the status text, e.g. "Bad Gateway", when the body is not that JSON),
 *      `data.error.{type,code}`, `responseBody` (raw text), `responseHeaders` (lower-case keys:
 *      Retry-After is `responseHeaders["retry-after"]`, a string of seconds), and `isRetryable` (true for
 *      408/409/429/5xx and for connection failures: "Cannot connect to API: connect ECONNREFUSED …").
 *    - `textStream` does NOT throw: it just ends empty. `await result.text` / `usage` / `totalUsage` /
 *      `finishReason` then reject with a generic `NoOutputGeneratedError` ("No output generated. Check the
 *      stream for errors.", no cause). So the status and message come only from the error part / `onError`.
 * 2. Stream cut mid-way (socket destroyed after some chunks): the text before the break arrives, then iterating
 *    `fullStream` or `textStream` THROWS an `APICallError` with `statusCode: 200`, `isRetryable: true`,
 *    message "Failed to process successful response", `cause` TypeError "terminated" (its cause: undici
 *    `SocketError` "other side closed", code UND_ERR_SOCKET). `onError` is NOT called; `text`/`usage` reject with
 *    that same error. So the reading loop needs a try/catch.
 * 3. Abort (our timeout via `AbortSignal.timeout(ms)` or a cancel): `fullStream` yields `{ type: "abort" }` and
 *    ends normally (`textStream` too), `onAbort` is called, `onError` is not; `text`/`usage` reject with
 *    `abortSignal.reason` (a DOMException named "TimeoutError" for `AbortSignal.timeout`, "AbortError" for
 *    `controller.abort()`). streamText's own `timeout` option behaves the same (`timeout: ms` is a total timeout;
 *    `timeout: { chunkMs }` rejects with TimeoutError "Chunk timeout of …ms exceeded" on a stalled stream).
 * 4. Success: `{ type: "finish", totalUsage: { inputTokens, outputTokens, … }, finishReason: "stop" }`, and
 *    `await result.usage` / `totalUsage` give the same numbers (from the last chunk's `usage`).
 * With maxRetries > 0 the SDK would retry retryable errors itself and wrap them in `RetryError`
 * (`reason`, `lastError`, `errors`); the engine does its own retries, so it always passes 0 and sees the
 * `APICallError` directly.
 */
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, generateText, NoOutputGeneratedError, streamText } from "ai";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  countTokens,
  type FakeModelServer,
  modelFailure,
  type ScriptedResponse,
  startFakeModelServer,
} from "./helpers/fake-model-server";

const API_KEY = "sk-test-gatehouse";
const MODEL = "fake-writer-1";
const SYSTEM = "You write research notes.";
const USER = "Topic: tide pools. Audience: children.";

let server: FakeModelServer;
beforeEach(async () => {
  server = await startFakeModelServer();
});
afterEach(async () => {
  await server.close();
});

function callModel(options: { baseURL?: string; abortSignal?: AbortSignal; timeout?: { chunkMs: number } } = {}) {
  const provider = createOpenAICompatible({
    name: "gatehouse",
    baseURL: options.baseURL ?? server.baseURL,
    apiKey: API_KEY,
    includeUsage: true,
  });
  const onErrorCalls: unknown[] = [];
  const result = streamText({
    model: provider(MODEL),
    system: SYSTEM,
    messages: [{ role: "user", content: USER }],
    maxRetries: 0,
    abortSignal: options.abortSignal,
    timeout: options.timeout,
    onError: ({ error }) => {
      onErrorCalls.push(error);
    },
  });
  return { result, onErrorCalls };
}

/** Reads `fullStream` the way the engine will: deltas as they come, then the error, abort or usage. */
async function readAll(result: ReturnType<typeof callModel>["result"]) {
  const deltas: Array<{ text: string; at: number }> = [];
  let errorPart: unknown;
  let thrown: unknown;
  let aborted = false;
  let usage: { inputTokens: number | undefined; outputTokens: number | undefined } | undefined;
  try {
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") deltas.push({ text: part.text, at: performance.now() });
      else if (part.type === "error") errorPart = part.error;
      else if (part.type === "abort") aborted = true;
      else if (part.type === "finish") usage = part.totalUsage;
    }
  } catch (error) {
    thrown = error;
  }
  return { deltas, text: deltas.map((delta) => delta.text).join(""), errorPart, thrown, aborted, usage };
}

function asAPICallError(error: unknown): APICallError {
  expect(APICallError.isInstance(error)).toBe(true);
  return error as APICallError;
}

describe("a streamed reply", () => {
  test("arrives chunk by chunk, equals the reply, reports usage, and the request carried what the model needs", async () => {
    const reply = "Tide pools hold crabs, anemones and small fish.";
    server.reply(reply, { chunkSize: 5 });
    const { result } = callModel();
    const { deltas, text, usage, errorPart } = await readAll(result);

    expect(errorPart).toBeUndefined();
    expect(text).toBe(reply);
    expect(deltas.map((delta) => delta.text)).toEqual(reply.match(/.{1,5}/g));
    const expected = { inputTokens: countTokens(SYSTEM) + countTokens(USER), outputTokens: countTokens(reply) };
    expect(usage).toMatchObject(expected);
    expect(await result.usage).toMatchObject(expected);

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.model).toBe(MODEL);
    expect(request.stream).toBe(true);
    expect(request.body.stream_options).toEqual({ include_usage: true });
    expect(request.messages).toEqual([
      { role: "system", content: SYSTEM },
      { role: "user", content: USER },
    ]);
  });

  test("by default echoes the last user message; a reply function sees the request", async () => {
    expect(await callModel().result.text).toBe(`Echo: ${USER}`);
    server.reply((request) => `${request.model} read ${request.messages.length} messages`);
    expect(await callModel().result.text).toBe(`${MODEL} read 2 messages`);
  });

  test("streams live: with a delay between chunks the first text arrives long before the last", async () => {
    server.reply("one two three four five six", { chunkSize: 4, delayMs: 60 });
    const { deltas, text } = await readAll(callModel().result);
    expect(text).toBe("one two three four five six");
    expect(deltas).toHaveLength(7);
    // 6 pauses of 60 ms between the first and the last delta: not one buffered burst
    expect(deltas[6].at - deltas[0].at).toBeGreaterThan(250);
  });

  test("is on the wire exactly as OpenAI sends it", async () => {
    server.reply("Hello there", { chunkSize: 6 });
    const response = await fetch(`${server.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({
        model: MODEL,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: "Hi" }],
      }),
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const events = (await response.text()).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((event) => {
      expect(event.startsWith("data: ")).toBe(true);
      return JSON.parse(event.slice("data: ".length));
    });
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: chunks[0].id, object: "chat.completion.chunk", model: MODEL });
      expect(chunk.created).toBe(chunks[0].created);
    }
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: "assistant", content: "" },
      { content: "Hello " },
      { content: "there" },
      {},
      undefined,
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual([null, null, null, "stop", undefined]);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
  });

  test("a non-streaming request gets one chat.completion with usage", async () => {
    const provider = createOpenAICompatible({ name: "gatehouse", baseURL: server.baseURL, apiKey: API_KEY });
    const result = await generateText({ model: provider(MODEL), prompt: "one two three", maxRetries: 0 });
    expect(server.requests[0].stream).toBe(false);
    expect(result.text).toBe("Echo: one two three");
    expect(result.usage).toMatchObject({ inputTokens: 3, outputTokens: 4 });
  });
});

describe("failures (maxRetries: 0), as the SDK reports them", () => {
  async function failWith(scripted: ScriptedResponse) {
    server.enqueue(scripted);
    const { result, onErrorCalls } = callModel();
    const outcome = await readAll(result);
    expect(outcome.thrown).toBeUndefined();
    expect(outcome.text).toBe("");
    // the error part and onError carry the same APICallError
    expect(onErrorCalls).toEqual([outcome.errorPart]);
    return { error: asAPICallError(outcome.errorPart), result };
  }

  test("500: retryable, with the server's message", async () => {
    const { error } = await failWith(modelFailure.serverError());
    expect(error.statusCode).toBe(500);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toBe("The server had an error while processing your request. Sorry about that!");
    expect(error.data).toMatchObject({ error: { type: "server_error" } });
  });

  test("429: retryable, Retry-After in responseHeaders", async () => {
    const { error } = await failWith(modelFailure.rateLimited(2));
    expect(error.statusCode).toBe(429);
    expect(error.isRetryable).toBe(true);
    expect(error.responseHeaders?.["retry-after"]).toBe("2");
    expect(error.data).toMatchObject({ error: { code: "rate_limit_exceeded" } });
  });

  test("401: not retryable, the server's message; text and usage only say 'no output'", async () => {
    const { error, result } = await failWith(modelFailure.invalidApiKey());
    expect(error.statusCode).toBe(401);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toBe("Incorrect API key provided");
    expect(error.data).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_api_key" } });
    expect(JSON.parse(error.responseBody ?? "")).toEqual({
      error: {
        message: "Incorrect API key provided",
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      },
    });
    // the promises hide the status: they reject with a generic error
    await expect(result.usage).rejects.toSatisfy((error) => NoOutputGeneratedError.isInstance(error));
  });

  test("400: not retryable, the server's message", async () => {
    const { error } = await failWith(modelFailure.badRequest("messages is too long"));
    expect(error.statusCode).toBe(400);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toBe("messages is too long");
  });

  test("textStream alone does not throw on an HTTP error: it ends empty", async () => {
    server.enqueue(modelFailure.invalidApiKey());
    const { result, onErrorCalls } = callModel();
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    expect(pieces).toEqual([]);
    expect(asAPICallError(onErrorCalls[0]).statusCode).toBe(401);
    await expect(result.text).rejects.toSatisfy((error) => NoOutputGeneratedError.isInstance(error));
  });

  test("no server listening: retryable, no status code", async () => {
    const closed = await startFakeModelServer();
    await closed.close();
    const { result } = callModel({ baseURL: closed.baseURL });
    const { errorPart } = await readAll(result);
    const error = asAPICallError(errorPart);
    expect(error.statusCode).toBeUndefined();
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(/^Cannot connect to API: .*ECONNREFUSED/);
  });

  test("a stream cut halfway: the text so far, then the read throws a retryable APICallError (onError silent)", async () => {
    server.reply("abcdefghijklmnop", { chunkSize: 4 });
    server.enqueue(modelFailure.cutAfter(2));
    const { result, onErrorCalls } = callModel();
    const { text, thrown, errorPart, usage } = await readAll(result);
    expect(text).toBe("abcdefgh");
    expect(errorPart).toBeUndefined();
    expect(usage).toBeUndefined();
    expect(onErrorCalls).toEqual([]);
    const error = asAPICallError(thrown);
    expect(error.statusCode).toBe(200);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toBe("Failed to process successful response");
    expect(error.cause).toMatchObject({ name: "TypeError", message: "terminated" });
    await expect(result.usage).rejects.toBe(thrown);
  });

  test("a response that never starts: our abort signal ends it as an abort, usage rejects with the signal's reason", async () => {
    server.enqueue(modelFailure.neverStarts());
    const signal = AbortSignal.timeout(300);
    const { result, onErrorCalls } = callModel({ abortSignal: signal });
    const { aborted, errorPart, thrown } = await readAll(result);
    expect(aborted).toBe(true);
    expect(errorPart).toBeUndefined();
    expect(thrown).toBeUndefined();
    expect(onErrorCalls).toEqual([]);
    await expect(result.usage).rejects.toMatchObject({ name: "TimeoutError" });
    await expect(result.usage).rejects.toBe(signal.reason);
    expect(server.requests).toHaveLength(1);
  });

  test("a stream that stalls: streamText's chunk timeout aborts it with a TimeoutError", async () => {
    server.reply("abcdefgh", { chunkSize: 4 });
    server.enqueue(modelFailure.stallAfter(1));
    const { result } = callModel({ timeout: { chunkMs: 300 } });
    const { text, aborted } = await readAll(result);
    expect(text).toBe("abcd");
    expect(aborted).toBe(true);
    await expect(result.usage).rejects.toMatchObject({
      name: "TimeoutError",
      message: "Chunk timeout of 300ms exceeded",
    });
  });
});

describe("the script", () => {
  test("queued behaviours apply one per request, in order, then the reply", async () => {
    server.enqueue(modelFailure.serverError(), modelFailure.rateLimited(1), { kind: "reply", text: "third" });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { errorPart } = await readAll(callModel().result);
      statuses.push(errorPart === undefined ? "ok" : asAPICallError(errorPart).statusCode);
    }
    expect(statuses).toEqual([500, 429, "ok"]);
    expect(await callModel().result.text).toBe(`Echo: ${USER}`);
    expect(server.requests).toHaveLength(4);
  });

  test("close() ends a hanging connection", async () => {
    server.enqueue(modelFailure.neverStarts());
    const pending = fetch(`${server.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages: [] }),
    });
    await expect.poll(() => server.requests.length).toBe(1);
    await server.close();
    await expect(pending).rejects.toThrow();
    server = await startFakeModelServer(); // for afterEach
  });
});
