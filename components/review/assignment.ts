import type { UserDto } from "@/lib/api/types";
import type { Assignee } from "@/lib/review-policy";
import { hasRole, Role } from "@/lib/roles";

/**
 * What the pages say about a checkpoint's assignee (SPEC §10), and whether the
 * viewer may decide it. The server refuses others (403); this only keeps the
 * buttons honest. A summary names no one: a user id is "you" or "someone else".
 */

type Viewer = Pick<UserDto, "id" | "role">;

const ROLE_GROUP: Record<Role, string> = { admin: "admins", reviewer: "reviewers" };

/** "Assigned to you", "Assigned to admins", "Assigned to someone else"; null when anyone may decide. */
export function assigneeText(assignee: Assignee | null, viewer: Viewer): string | null {
  if (!assignee) return null;
  if ("role" in assignee) return `Assigned to ${ROLE_GROUP[assignee.role]}`;
  return assignee.userId === viewer.id ? "Assigned to you" : "Assigned to someone else";
}

/** Admins may decide anything; others only what is unassigned, theirs, or assigned to a role they have. */
export function mayDecide(assignee: Assignee | null, viewer: Viewer): boolean {
  if (!assignee || hasRole(viewer.role, Role.admin)) return true;
  if ("role" in assignee) return hasRole(viewer.role, assignee.role);
  return assignee.userId === viewer.id;
}

/** Why the viewer may not decide (shown by the disabled buttons), or null. */
export function notYoursText(assignee: Assignee | null, viewer: Viewer): string | null {
  if (!assignee || mayDecide(assignee, viewer)) return null;
  const who = "role" in assignee ? ROLE_GROUP[assignee.role] : "someone else";
  return `This checkpoint is assigned to ${who}: only they or an admin can decide it.`;
}
