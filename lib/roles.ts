/** User roles, shared by server guards and the client nav. Admins can do everything reviewers can. */
export const Role = { reviewer: "reviewer", admin: "admin" } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES = Object.values(Role) as [Role, ...Role[]];

export function hasRole(actual: Role, required: Role): boolean {
  return required === Role.reviewer || actual === Role.admin;
}
