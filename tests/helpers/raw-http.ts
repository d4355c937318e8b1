import fs from "node:fs";
import { type IncomingHttpHeaders, request } from "node:http";

export type RawResponse = {
  status: number;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: a raw response may be any shape (see tests/helpers/api.ts)
  body: any;
  text: string;
};

/**
 * An HTTP request with full control over what fetch will not let a test set:
 * the `Host` header and the client address (`localAddress`: anything in
 * 127.0.0.0/8 reaches a server listening on 127.0.0.1, from another address).
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; localAddress?: string } = {},
): Promise<RawResponse> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? (body === undefined ? "GET" : "POST"),
        localAddress: options.localAddress,
        // a fresh connection per request, so each one really comes from `localAddress`
        agent: false,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // not JSON (an HTML page): keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Signs in from `localAddress` with a same-origin Origin (and any `headers`); the response as is. */
export function signInFrom(
  serverUrl: string,
  localAddress: string,
  credentials: { email: string; password: string },
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return rawRequest(`${serverUrl}/api/auth/login`, {
    body: { email: credentials.email, password: credentials.password },
    headers: { origin: serverUrl, ...headers },
    localAddress,
  });
}

/**
 * `count` right sign-ins of one account from one address, a few at a time:
 * the KDF's two slots stay busy, and fewer than ten are ever in flight (each
 * counts as a failure of that account at that address until it succeeds, so
 * ten at once would be refused like ten parallel guesses).
 */
export async function signInMany(
  serverUrl: string,
  localAddress: string,
  credentials: { email: string; password: string },
  count: number,
): Promise<RawResponse[]> {
  const responses: RawResponse[] = [];
  while (responses.length < count) {
    const batch = Math.min(4, count - responses.length);
    responses.push(
      ...(await Promise.all(Array.from({ length: batch }, () => signInFrom(serverUrl, localAddress, credentials)))),
    );
  }
  return responses;
}

/** The `name=value` part of a response's first Set-Cookie header, if any. */
export function cookieOf(res: RawResponse): string | undefined {
  return res.headers["set-cookie"]?.[0]?.split(";")[0];
}

/**
 * The pid of the server process serving `dbPath` (found through /proc, as
 * the test helper does not keep it): for reading its memory figures.
 */
export function serverPid(dbPath: string): number {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const environ = fs.readFileSync(`/proc/${entry}/environ`, "utf8");
      if (cmdline.includes("dist/server.js") && environ.split("\0").includes(`DATABASE_URL=file:${dbPath}`)) {
        return Number(entry);
      }
    } catch {
      // a process that ended meanwhile, or one of another user
    }
  }
  throw new Error(`no server process for ${dbPath}`);
}

/** A memory figure of a process from /proc/<pid>/status (VmRSS, VmHWM: the peak RSS), in MiB. */
export function memoryMiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return kb / 1024;
}
