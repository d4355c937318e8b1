import { z } from "zod";
import { emailSchema } from "@/lib/api/schemas";

// the origin browsers use (scheme, host, port); a path or query in the variable is ignored
const publicUrlSchema = z
  .url({ protocol: /^https?$/, error: "PUBLIC_URL must be an http(s) URL, e.g. https://gatehouse.example.com" })
  .transform((url) => new URL(url).origin);

// addresses of reverse proxies whose X-Forwarded-For names the client (comma-separated IPs)
const trustedProxiesSchema = z
  .string()
  .transform((list) =>
    list
      .split(",")
      .map((address) => address.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.union([z.ipv4(), z.ipv6()], { error: "TRUSTED_PROXIES must be IP addresses, comma-separated" })));

const logLevelSchema = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATABASE_URL: z.string().min(1).default("file:./data/gatehouse.db"),
    ADMIN_EMAIL: emailSchema.optional(),
    ADMIN_PASSWORD: z.string().min(8, "ADMIN_PASSWORD must be at least 8 characters").optional(),
    LOG_LEVEL: logLevelSchema,
    // the address browsers use: the expected Origin of every mutation and socket, and the cookie's prefix (SPEC §6)
    PUBLIC_URL: publicUrlSchema.optional(),
    TRUSTED_PROXIES: trustedProxiesSchema.default([]),
    // inbox callbacks may go to any host (self-hosted agents live on private networks) unless this lists them
    CALLBACK_HOSTS: z
      .string()
      .transform((list) =>
        list
          .split(",")
          .map((host) => host.trim().toLowerCase())
          .filter(Boolean),
      )
      .optional(),
    RUN_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
    // model agents (SPEC §8): an OpenAI-compatible server; unset, they use the built-in offline writer
    MODEL_BASE_URL: z
      .url({ protocol: /^https?$/, error: "MODEL_BASE_URL must be an http(s) URL, e.g. http://localhost:11434/v1" })
      .optional(),
    MODEL_API_KEY: z.string().min(1).optional(),
    MODEL_NAME: z.string().min(1).max(200).optional(),
    MODEL_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
    // how often live sockets re-check their session (ended, expired, user disabled)
    SESSION_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    // registers the test-only workflows (slow and failing agents); never set in production
    GATEHOUSE_TEST_WORKFLOWS: z.enum(["0", "1"]).default("0"),
    // test-only, read by the test workflows: `test-failing`'s agent fails while this is 1
    GATEHOUSE_TEST_FAIL_FRAGILE: z.enum(["0", "1"]).default("0"),
    // test-only: `test-slow`'s slow step holds while its run is running (until cancelled or the process is killed)
    GATEHOUSE_TEST_HOLD_SLOW_STEP: z.enum(["0", "1"]).default("0"),
  })
  .refine((env) => !env.MODEL_BASE_URL || env.MODEL_NAME, {
    path: ["MODEL_NAME"],
    message: "MODEL_NAME is needed with MODEL_BASE_URL (the model to ask, e.g. llama3.1 or gpt-4o-mini)",
  });
export type Env = z.infer<typeof envSchema>;

/** The model server model agents write with, or null for the offline writer. */
export function modelConfigOf(env: Env): { baseURL: string; apiKey?: string; model: string; timeoutMs: number } | null {
  if (!env.MODEL_BASE_URL) return null;
  return {
    baseURL: env.MODEL_BASE_URL.replace(/\/+$/, ""),
    apiKey: env.MODEL_API_KEY,
    model: env.MODEL_NAME ?? "",
    timeoutMs: env.MODEL_TIMEOUT_MS,
  };
}

// an empty variable counts as unset
const withoutEmpty = (source: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));

/** Validated once at start; a bad value stops the process with a clear message. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(withoutEmpty(source));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  return parsed.data;
}

/**
 * The logger's level, needed when lib/logger.ts loads, before `loadEnv()` runs.
 * A bad value gives the default here so the logger can report it: `loadEnv()`
 * then stops the process with the same clear message as any other variable.
 */
export function logLevelOf(source: NodeJS.ProcessEnv = process.env): Env["LOG_LEVEL"] {
  const parsed = logLevelSchema.safeParse(withoutEmpty(source).LOG_LEVEL);
  return parsed.success ? parsed.data : logLevelSchema.parse(undefined);
}
