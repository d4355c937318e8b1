"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { ApiError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import { loginBody } from "@/lib/api/schemas";

function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

function messageFor(error: unknown): string {
  if (!(error instanceof ApiError)) return "Could not reach the server. Check your connection and try again.";
  if (error.code === "rate_limited") {
    const wait = Number((error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds);
    return Number.isFinite(wait) && wait > 0
      ? `Too many sign-in attempts. Try again in ${waitText(wait)}.`
      : "Too many sign-in attempts. Try again later.";
  }
  if (error.code === "invalid_credentials") return "Email or password is wrong.";
  return error.message;
}

export function LoginForm({ next }: { next: string }) {
  const id = useId();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const parsed = loginBody.safeParse({ email: email.trim(), password });
    if (!parsed.success) {
      const errors: { email?: string; password?: string } = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] as "email" | "password";
        errors[key] ??= issue.message;
      }
      setFieldErrors(errors);
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      await api.auth.login(parsed.data);
      // a full load: the server layout reads the new session cookie
      window.location.assign(next);
    } catch (err) {
      setError(messageFor(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-inset ring-red-200">
          {error}
        </p>
      ) : null}
      <Field id={`${id}-email`} label="Email" error={fieldErrors.email}>
        <input
          id={`${id}-email`}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          className={inputClass}
          {...describedBy(`${id}-email`, fieldErrors.email)}
        />
      </Field>
      <Field id={`${id}-password`} label="Password" error={fieldErrors.password}>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          className={inputClass}
          {...describedBy(`${id}-password`, fieldErrors.password)}
        />
      </Field>
      <Button type="submit" variant="primary" className="w-full" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
