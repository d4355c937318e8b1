"use client";

import { Card } from "@/components/ui/card";
import { CreateUserForm } from "./create-user-form";
import { TokensSection } from "./tokens-section";
import { UsersTable } from "./users-table";

/** Admins manage people (roles, passwords, access) and the API tokens other systems use. */
export function UsersPage() {
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Users</h1>
        <p className="mt-1 text-sm text-slate-600">
          Who can sign in, with which role. Open a user to change their role, reset their password, disable them or see
          their history.
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_340px]">
        <div className="order-2 min-w-0 lg:order-1">
          <UsersTable />
        </div>
        <div className="order-1 lg:order-2">
          <Card title="Add a user" titleId="add-user-title" as="div">
            <CreateUserForm />
          </Card>
        </div>
      </div>
      <TokensSection />
    </div>
  );
}
