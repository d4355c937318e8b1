"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { updateUserBody } from "@/lib/api/schemas";
import type { ManagedUserDto } from "@/lib/api/types";
import { ROLES, type Role } from "@/lib/roles";
import { formErrorText } from "./form-error";
import { ROLE_LABELS } from "./labels";

/** What an admin changes about a user: each a PATCH /api/users/:id, its refusal shown inline. */

function useUpdateUser(user: ManagedUserDto, done: string, onDone?: () => void) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof api.users.update>[1]) => api.users.update(user.id, body),
    onSuccess: (answer) => {
      setError(null);
      toast(done);
      queryClient.setQueryData(queryKeys.users.detail(user.id), answer);
      queryClient.invalidateQueries({ queryKey: queryKeys.users.all });
      onDone?.();
    },
    onError: (err) => setError(formErrorText(err)),
  });
  return { mutation, error, setError };
}

function InlineError({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="text-sm font-medium text-red-700">
      {error}
    </p>
  ) : null;
}

export function RoleForm({ user }: { user: ManagedUserDto }) {
  const id = useId();
  const [role, setRole] = useState<Role>(user.role);
  const { mutation, error } = useUpdateUser(user, `${user.name} is now ${ROLE_LABELS[role].toLowerCase()}`);
  return (
    <form
      aria-label="Change role"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate({ role });
      }}
    >
      <Field id={`${id}-role`} label="Role" hint="Reviewers decide checkpoints; admins also manage Gatehouse">
        <select
          id={`${id}-role`}
          value={role}
          onChange={(e) => setRole(ROLES.find((r) => r === e.target.value) ?? user.role)}
          className={inputClass}
          aria-describedby={`${id}-role-hint`}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </Field>
      <InlineError error={error} />
      <Button type="submit" disabled={mutation.isPending || role === user.role}>
        {mutation.isPending ? "Saving…" : "Change role"}
      </Button>
    </form>
  );
}

/** A new password ends every session of the user (and drops their live connections). */
export function PasswordForm({ user }: { user: ManagedUserDto }) {
  const id = useId();
  const [password, setPassword] = useState("");
  const { mutation, error, setError } = useUpdateUser(user, `Password of ${user.name} reset`, () => setPassword(""));
  return (
    <form
      aria-label="Reset password"
      className="space-y-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = updateUserBody.safeParse({ password });
        if (!body.success) setError(body.error.issues[0]?.message ?? "Check the password");
        else mutation.mutate(body.data);
      }}
    >
      <Field id={`${id}-password`} label="New password" hint="At least 8 characters; signs the user out everywhere">
        <input
          id={`${id}-password`}
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          className={inputClass}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-password-hint`}
        />
      </Field>
      <InlineError error={error} />
      <Button type="submit" disabled={mutation.isPending || password === ""}>
        {mutation.isPending ? "Resetting…" : "Reset password"}
      </Button>
    </form>
  );
}

/** Disable (asks once more: it signs the user out at once) or enable again. */
export function AccessCard({ user }: { user: ManagedUserDto }) {
  const [confirming, setConfirming] = useState(false);
  const { mutation, error } = useUpdateUser(
    user,
    user.disabled ? `${user.name} enabled` : `${user.name} disabled`,
    () => setConfirming(false),
  );
  if (user.disabled) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-slate-600">This user cannot sign in. Enabling lets them sign in again.</p>
        <InlineError error={error} />
        <Button onClick={() => mutation.mutate({ disabled: false })} disabled={mutation.isPending}>
          Enable user
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        Disabling signs the user out everywhere at once and stops them signing in.
      </p>
      <InlineError error={error} />
      {confirming ? (
        <div className="flex flex-wrap gap-2">
          <Button variant="danger" onClick={() => mutation.mutate({ disabled: true })} disabled={mutation.isPending}>
            Confirm disable
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(false)} disabled={mutation.isPending}>
            Keep enabled
          </Button>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Disable user
        </Button>
      )}
    </div>
  );
}
