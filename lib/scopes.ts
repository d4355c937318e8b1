/**
 * What an API token may do (SPEC §9), shared by server guards, the CLI and the
 * admin pages. People (sessions) have roles instead; scopes never apply to them.
 */
export const TokenScope = {
  /** start runs, and read and cancel the runs this token started */
  runsWrite: "runs:write",
  /** read every run (not cancel) */
  runsRead: "runs:read",
  /** create inbox checkpoints, read and wait on its own */
  checkpointsWrite: "checkpoints:write",
  /** read GET /api/metrics */
  metricsRead: "metrics:read",
} as const;
export type TokenScope = (typeof TokenScope)[keyof typeof TokenScope];
export const TOKEN_SCOPES = Object.values(TokenScope) as [TokenScope, ...TokenScope[]];

/** What `npm run users -- token` gives when no --scopes is passed, and what tokens from before scopes hold. */
export const DEFAULT_TOKEN_SCOPES: readonly TokenScope[] = [TokenScope.runsWrite];

/** The scopes that let a token see runs (and so hold a socket). */
export const RUN_SCOPES: readonly TokenScope[] = [TokenScope.runsWrite, TokenScope.runsRead];
