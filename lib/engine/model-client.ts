import "server-only";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, type ModelMessage, streamText } from "ai";
import { MAX_AGENT_OUTPUT_BYTES } from "@/lib/limits";
import { type ModelUsage, OFFLINE_MODEL } from "@/lib/model";
import { PermanentAgentError } from "./define";

/** Where model agents get their text: an OpenAI-compatible server (MODEL_* settings), or none. */
export type ModelConfig = { baseURL: string; apiKey?: string; model: string; timeoutMs: number };

export type ModelRequest = {
  system?: string;
  messages: ModelMessage[];
  /** The built-in offline writer, used when no model server is configured. */
  offline: () => string;
  /** The text so far, as it streams (throttled by the caller). */
  onText: (text: string) => void;
};

export type ModelAnswer = { text: string; model: string; usage: ModelUsage };

/**
 * A failure another attempt may fix (connection, timeout, 429, 5xx, a cut
 * stream); `retryAfterMs` is the server's Retry-After, which the retry waits for.
 */
class ModelRetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof ModelRetryableError ? error.retryAfterMs : undefined;
}

const REFUSED: Record<number, string> = {
  400: "the model server refused the request",
  401: "the model server refused the API key",
  403: "the model server refused access to this model",
  404: "the model server does not know this model or URL",
};

/**
 * Calls an OpenAI-compatible Chat Completions server through the AI SDK,
 * streamed, and turns what can go wrong into errors the runner acts on:
 * PermanentAgentError (fail the step now) or ModelRetryableError (back off
 * and try again). The SDK does no retries of its own (`maxRetries: 0`).
 */
export class ModelClient {
  private readonly provider;

  constructor(private readonly config: ModelConfig | null) {
    this.provider = config
      ? createOpenAICompatible({
          name: "gatehouse",
          baseURL: config.baseURL,
          apiKey: config.apiKey,
          includeUsage: true,
        })
      : null;
  }

  /** The model's name as recorded with each step (the offline writer has its own). */
  get modelName(): string {
    return this.config?.model ?? OFFLINE_MODEL;
  }

  async write(request: ModelRequest): Promise<ModelAnswer> {
    if (!this.config || !this.provider) {
      return { text: request.offline(), model: OFFLINE_MODEL, usage: { inputTokens: 0, outputTokens: 0 } };
    }
    const { model, timeoutMs } = this.config;
    let failure: unknown;
    const result = streamText({
      model: this.provider(model),
      system: request.system,
      messages: request.messages,
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(timeoutMs),
      // the SDK reports HTTP failures here (and as an error part), never by throwing
      onError: ({ error }) => {
        failure ??= error;
      },
    });
    let text = "";
    let usage: ModelUsage | undefined;
    try {
      for await (const part of result.fullStream) {
        if (part.type === "text-delta") {
          text += part.text;
          if (Buffer.byteLength(text, "utf8") > MAX_AGENT_OUTPUT_BYTES) {
            throw new PermanentAgentError(
              `The model wrote more than ${MAX_AGENT_OUTPUT_BYTES / 1024} KB; the limit is ${MAX_AGENT_OUTPUT_BYTES / 1024} KB`,
            );
          }
          request.onText(text);
        } else if (part.type === "error") {
          failure ??= part.error;
        } else if (part.type === "abort") {
          throw new ModelRetryableError(`The model did not finish within ${timeoutMs} ms`);
        } else if (part.type === "finish") {
          usage = { inputTokens: part.totalUsage.inputTokens ?? 0, outputTokens: part.totalUsage.outputTokens ?? 0 };
        }
      }
    } catch (error) {
      throw asModelError(error, text);
    }
    if (failure) throw asModelError(failure, text);
    return { text, model, usage: usage ?? { inputTokens: 0, outputTokens: 0 } };
  }
}

/** What a failed call means for the step, with a message a person can act on. */
function asModelError(error: unknown, textSoFar: string): Error {
  if (error instanceof PermanentAgentError || error instanceof ModelRetryableError) return error;
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const detail = error.message ? `: ${error.message}` : "";
    if (status !== undefined && REFUSED[status])
      return new PermanentAgentError(`${capitalise(REFUSED[status])} (${status})${detail}`);
    if (status === 429) {
      const seconds = Number(error.responseHeaders?.["retry-after"]);
      return new ModelRetryableError(
        `The model server is rate limiting (429)${detail}`,
        Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined,
      );
    }
    // a 200 whose stream broke off
    if (status === 200)
      return new ModelRetryableError(`The model's answer was cut off after ${textSoFar.length} characters`);
    if (status !== undefined) return new ModelRetryableError(`The model server failed (${status})${detail}`);
    return new ModelRetryableError(`Could not reach the model server${detail}`);
  }
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new ModelRetryableError("The model did not finish in time");
  }
  return error instanceof Error ? error : new Error(String(error));
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
