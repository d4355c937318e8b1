// Stands in for the `server-only` package outside Next (server.ts bundle, Vitest), where it would throw.
export {};
