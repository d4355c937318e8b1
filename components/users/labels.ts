import type { AdminEventDto, ManagedUserDto } from "@/lib/api/types";
import { AdminEventType } from "@/lib/events";
import { Role } from "@/lib/roles";
import { TokenScope } from "@/lib/scopes";

/** What the admin console calls roles, scopes, account states and admin actions. */

export const ROLE_LABELS: Record<Role, string> = { [Role.reviewer]: "Reviewer", [Role.admin]: "Admin" };

export const SCOPE_LABELS: Record<TokenScope, { label: string; hint: string }> = {
  [TokenScope.runsWrite]: { label: "runs:write", hint: "start runs; read and cancel its own runs" },
  [TokenScope.runsRead]: { label: "runs:read", hint: "read every run" },
  [TokenScope.checkpointsWrite]: { label: "checkpoints:write", hint: "create inbox checkpoints and wait on them" },
  [TokenScope.metricsRead]: { label: "metrics:read", hint: "read /api/metrics" },
};

// colours with at least 4.5:1 contrast on their backgrounds
export const ACTIVE_BADGE = { label: "Active", className: "bg-emerald-50 text-emerald-800 ring-emerald-300" };
const DISABLED_BADGE = { label: "Disabled", className: "bg-zinc-100 text-zinc-700 ring-zinc-300" };
export const REVOKED_BADGE = { label: "Revoked", className: "bg-zinc-100 text-zinc-700 ring-zinc-300" };

export const accountBadge = (user: Pick<ManagedUserDto, "disabled">) => (user.disabled ? DISABLED_BADGE : ACTIVE_BADGE);

const EVENT_TITLES: Record<AdminEventDto["type"], string> = {
  [AdminEventType.userCreated]: "User created",
  [AdminEventType.userChanged]: "User changed",
  [AdminEventType.userDisabled]: "User disabled",
  [AdminEventType.userEnabled]: "User enabled",
  [AdminEventType.userPasswordReset]: "Password reset",
  [AdminEventType.tokenCreated]: "API token created",
  [AdminEventType.tokenRevoked]: "API token revoked",
  [AdminEventType.webhookCreated]: "Webhook added",
  [AdminEventType.webhookDeleted]: "Webhook disabled",
  [AdminEventType.deliveryRedelivered]: "Delivery sent again",
  [AdminEventType.checkpointsExported]: "Checkpoints exported",
};

export function eventTitle(event: AdminEventDto): string {
  return EVENT_TITLES[event.type] ?? event.type;
}

const text = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : "");

/** One line of what the action was about, from its data (which never holds a secret). */
export function eventDetail(event: AdminEventDto): string {
  const data = event.data ?? {};
  switch (event.type) {
    case AdminEventType.userCreated:
      return `${text(data.email)} as ${text(data.role)}`;
    case AdminEventType.userChanged:
      return Object.entries(data)
        .map(([field, change]) => {
          const { from, to } = (change ?? {}) as { from?: unknown; to?: unknown };
          return `${field}: ${text(from)} → ${text(to)}`;
        })
        .join("; ");
    case AdminEventType.tokenCreated:
    case AdminEventType.tokenRevoked:
      return `“${text(data.name)}” (${Array.isArray(data.scopes) ? data.scopes.join(", ") : ""})`;
    case AdminEventType.webhookCreated:
    case AdminEventType.webhookDeleted:
    case AdminEventType.deliveryRedelivered:
      return text(data.url);
    case AdminEventType.checkpointsExported:
      return Object.entries(data)
        .filter(([, value]) => text(value) !== "")
        .map(([key, value]) => `${key}: ${text(value)}`)
        .join(", ");
    default:
      return text(data.email);
  }
}
