"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { useCopy } from "@/components/ui/use-copy";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { createTokenBody } from "@/lib/api/schemas";
import type { CreatedApiTokenResponse } from "@/lib/api/types";
import { DEFAULT_TOKEN_SCOPES, TOKEN_SCOPES, type TokenScope } from "@/lib/scopes";
import { formErrorText } from "./form-error";
import { SCOPE_LABELS } from "./labels";

/** Name and scopes; on success both secrets, shown this once. */
export function TokenForm() {
  const id = useId();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<TokenScope[]>([...DEFAULT_TOKEN_SCOPES]);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedApiTokenResponse | null>(null);

  const create = useMutation({
    mutationFn: api.tokens.create,
    onSuccess: (answer) => {
      toast(`Token “${answer.token.name}” created`);
      setCreated(answer);
      setName("");
      setScopes([...DEFAULT_TOKEN_SCOPES]);
      setError(null);
      queryClient.invalidateQueries({ queryKey: queryKeys.tokens.all });
      queryClient.invalidateQueries({ queryKey: queryKeys.users.all });
    },
    onError: (err) => setError(formErrorText(err)),
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = createTokenBody.safeParse({ name: name.trim(), scopes });
    if (!body.success) {
      setError(body.error.issues[0]?.message ?? "Check the fields");
      return;
    }
    create.mutate(body.data);
  }

  const toggle = (scope: TokenScope, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));

  return (
    <div className="space-y-4">
      {created ? <SecretsOnce created={created} onDone={() => setCreated(null)} /> : null}
      <form aria-label="Create an API token" onSubmit={onSubmit} noValidate className="space-y-4">
        <Field id={`${id}-name`} label="Token name" required hint="Which system uses it, e.g. billing-bot">
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            maxLength={100}
            className={inputClass}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-name-hint`}
          />
        </Field>
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Scopes</legend>
          <div className="space-y-2">
            {TOKEN_SCOPES.map((scope) => (
              <label key={scope} className="flex items-start gap-2 text-sm text-slate-700">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) => toggle(scope, e.target.checked)}
                  className="mt-0.5 size-4 rounded border-slate-300"
                />
                <span>
                  <span className="font-mono text-xs font-medium text-slate-900">{SCOPE_LABELS[scope].label}</span>
                  <span className="block text-xs text-slate-600">{SCOPE_LABELS[scope].hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {error ? (
          <p role="alert" className="text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
        <Button type="submit" variant="primary" className="w-full" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </Button>
      </form>
    </div>
  );
}

/** The token's secret and signing secret: Gatehouse keeps only a hash of the one and never shows either again. */
function SecretsOnce({ created, onDone }: { created: CreatedApiTokenResponse; onDone: () => void }) {
  return (
    <section
      aria-label="New token secrets"
      className="space-y-3 rounded-md bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-inset ring-amber-300"
    >
      <p className="font-semibold">
        Copy these now: you will not see them again. Token “{created.token.name}” ({created.token.scopes.join(", ")})
      </p>
      <SecretLine label="Secret" hint="Send as Authorization: Bearer <secret>" value={created.secret} />
      <SecretLine label="Signing secret" hint="Verifies webhooks sent to this client" value={created.signingSecret} />
      <Button size="sm" variant="ghost" onClick={onDone}>
        Done, I have copied them
      </Button>
    </section>
  );
}

function SecretLine({ label, hint, value }: { label: string; hint: string; value: string }) {
  const { copied, copy } = useCopy(value);
  return (
    <div className="space-y-1">
      <p className="text-xs font-medium text-amber-950">
        {label} <span className="font-normal text-amber-900">· {hint}</span>
      </p>
      <code className="block break-all rounded bg-white px-2 py-1.5 font-mono text-xs text-slate-900 ring-1 ring-amber-300">
        {value}
      </code>
      <Button size="sm" onClick={copy}>
        {copied ? `Copied ${label.toLowerCase()}` : `Copy ${label.toLowerCase()}`}
      </Button>
    </div>
  );
}
