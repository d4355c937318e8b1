"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { errorText } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useCopy } from "@/components/ui/use-copy";
import { ApiError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { createWebhookBody } from "@/lib/api/schemas";
import { WEBHOOK_EVENTS, WEBHOOK_FORMATS, type WebhookEvent, type WebhookFormat } from "@/lib/review-policy";

export const EVENT_LABELS: Record<WebhookEvent, string> = {
  "checkpoint.created": "Checkpoint created",
  "checkpoint.expired": "Checkpoint expired",
  "run.failed": "Run failed",
};
export const FORMAT_LABELS: Record<WebhookFormat, string> = {
  json: "Generic JSON (signed)",
  slack: "Slack",
};

/** URL, format and events; on success the signing secret, shown this once. */
export function WebhookForm() {
  const id = useId();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<WebhookFormat>("json");
  const [events, setEvents] = useState<WebhookEvent[]>(["checkpoint.created"]);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);

  const create = useMutation({
    mutationFn: api.webhooks.create,
    onSuccess: (answer) => {
      toast("Webhook added");
      setCreated({ url: answer.webhook.url, secret: answer.secret });
      setUrl("");
      setError(null);
      queryClient.invalidateQueries({ queryKey: queryKeys.webhooks.all });
    },
    onError: (err) => {
      const issue = err instanceof ApiError ? (err.details as { issues?: { message: string }[] })?.issues?.[0] : null;
      setError(issue?.message ?? errorText(err));
    },
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = createWebhookBody.safeParse({ url: url.trim(), format, events });
    if (!body.success) {
      setError(body.error.issues[0]?.message ?? "Check the fields");
      return;
    }
    create.mutate(body.data);
  }

  const toggle = (event: WebhookEvent, on: boolean) =>
    setEvents((current) => (on ? [...current, event] : current.filter((e) => e !== event)));

  return (
    <div className="space-y-4">
      {created ? <SecretOnce created={created} onDone={() => setCreated(null)} /> : null}
      <form aria-label="Add a webhook" onSubmit={onSubmit} noValidate className="space-y-4">
        <Field id={`${id}-url`} label="Webhook URL" required hint="http or https; local addresses are allowed">
          <input
            id={`${id}-url`}
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://hooks.example.com/gatehouse"
            className={inputClass}
            aria-invalid={error ? true : undefined}
          />
        </Field>
        <Field id={`${id}-format`} label="Format">
          <select
            id={`${id}-format`}
            value={format}
            onChange={(e) => setFormat(WEBHOOK_FORMATS.find((f) => f === e.target.value) ?? "json")}
            className={inputClass}
          >
            {WEBHOOK_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </Field>
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Events</legend>
          <div className="space-y-1.5">
            {WEBHOOK_EVENTS.map((event) => (
              <label key={event} className="flex items-center gap-2 text-sm text-slate-700">
                <input
                  type="checkbox"
                  checked={events.includes(event)}
                  onChange={(e) => toggle(event, e.target.checked)}
                  className="size-4 rounded border-slate-300"
                />
                {EVENT_LABELS[event]}
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
          {create.isPending ? "Adding…" : "Add webhook"}
        </Button>
      </form>
    </div>
  );
}

/** The secret receivers verify signatures with: Gatehouse never shows it again. */
function SecretOnce({ created, onDone }: { created: { url: string; secret: string }; onDone: () => void }) {
  const { copied, copy } = useCopy(created.secret);
  return (
    <section
      aria-label="Signing secret"
      className="space-y-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200"
    >
      <p className="font-medium">Copy the signing secret now: it is not shown again.</p>
      <p className="break-all text-xs text-amber-800">For {created.url}</p>
      <code className="block break-all rounded bg-white px-2 py-1.5 font-mono text-xs text-slate-900 ring-1 ring-amber-200">
        {created.secret}
      </code>
      <div className="flex gap-2">
        <Button size="sm" onClick={copy}>
          {copied ? "Copied" : "Copy secret"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </section>
  );
}
