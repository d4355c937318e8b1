/** User roles, shared by server guards and the client nav. Admins can do everything reviewers can. */
export const Role = { reviewer: "reviewer", admin: "admin" } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES = Object.values(Role) as [Role, ...Role[]];

/** Only the roles above count: any other string (a tampered or future row) is no role at all. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function hasRole(actual: string, required: Role): boolean {
  if (!isRole(actual)) return false;
  return required === Role.reviewer || actual === Role.admin;
}
