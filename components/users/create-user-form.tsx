"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { createUserBody } from "@/lib/api/schemas";
import { ROLES, Role } from "@/lib/roles";
import { formErrorText } from "./form-error";
import { ROLE_LABELS } from "./labels";

/** Name, email, role and an initial password (the user can be told it; an admin can reset it later). */
export function CreateUserForm() {
  const id = useId();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>(Role.reviewer);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: api.users.create,
    onSuccess: (answer) => {
      toast(`${answer.user.email} added`);
      setName("");
      setEmail("");
      setPassword("");
      setRole(Role.reviewer);
      setError(null);
      queryClient.invalidateQueries({ queryKey: queryKeys.users.all });
    },
    onError: (err) => setError(formErrorText(err)),
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = createUserBody.safeParse({ name: name.trim() || undefined, email: email.trim(), role, password });
    if (!body.success) {
      setError(body.error.issues[0]?.message ?? "Check the fields");
      return;
    }
    create.mutate(body.data);
  }

  const invalid = error ? true : undefined;
  return (
    <form aria-label="Add a user" onSubmit={onSubmit} noValidate className="space-y-4">
      <Field id={`${id}-name`} label="Name" hint="Shown to other reviewers; the email's first part if empty">
        <input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
          maxLength={100}
          className={inputClass}
          aria-describedby={`${id}-name-hint`}
        />
      </Field>
      <Field id={`${id}-email`} label="Email" required>
        <input
          id={`${id}-email`}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoComplete="off"
          required
          className={inputClass}
          aria-invalid={invalid}
        />
      </Field>
      <Field id={`${id}-role`} label="Role">
        <select
          id={`${id}-role`}
          value={role}
          onChange={(e) => setRole(ROLES.find((r) => r === e.target.value) ?? Role.reviewer)}
          className={inputClass}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-password`} label="Initial password" required hint="At least 8 characters">
        <input
          id={`${id}-password`}
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          required
          className={inputClass}
          aria-invalid={invalid}
          aria-describedby={`${id}-password-hint`}
        />
      </Field>
      {error ? (
        <p role="alert" className="text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
      <Button type="submit" variant="primary" className="w-full" disabled={create.isPending}>
        {create.isPending ? "Adding…" : "Add user"}
      </Button>
    </form>
  );
}
