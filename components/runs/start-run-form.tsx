"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { ApiError, newRequestKey } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { type StartRunBody, startRunBody } from "@/lib/api/schemas";
import { fieldsFromSchema, initialValues, issuesByField, validateValues } from "@/lib/forms/input-schema";
import { useWorkflowDefinitions } from "@/lib/hooks/use-workflow-definitions";
import { SchemaField } from "./schema-field";

/** "Start run": a form generated from the chosen workflow's input JSON schema. */
export function StartRunForm() {
  const id = useId();
  const definitions = useWorkflowDefinitions();
  const [chosen, setChosen] = useState<string | null>(null);
  const workflowId = chosen ?? definitions.data?.[0]?.id ?? "";
  const definition = definitions.data?.find((d) => d.id === workflowId);
  const fields = useMemo(() => fieldsFromSchema(definition?.inputSchema), [definition]);

  if (definitions.isPending) return <LoadingState label="Loading workflows…" />;
  if (definitions.isError) {
    return <ErrorState error={definitions.error} title="Could not load workflows" onRetry={definitions.refetch} />;
  }
  if (definitions.data.length === 0) return <EmptyState inline title="No workflows are registered." />;

  return (
    <div className="space-y-4">
      <Field id={`${id}-workflow`} label="Workflow to start">
        <select
          id={`${id}-workflow`}
          value={workflowId}
          onChange={(e) => setChosen(e.target.value)}
          className={inputClass}
        >
          {definitions.data.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </Field>
      {definition?.description ? <p className="text-xs text-slate-500">{definition.description}</p> : null}
      {/* keyed by workflow: switching workflows starts from that schema's defaults */}
      <RunInputForm key={workflowId} workflowId={workflowId} fields={fields} />
    </div>
  );
}

function RunInputForm({ workflowId, fields }: { workflowId: string; fields: ReturnType<typeof fieldsFromSchema> }) {
  const id = useId();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [values, setValues] = useState(() => initialValues(fields));
  const [errors, setErrors] = useState<Record<string, string>>({});

  // one key per intended run: a retry after a lost response returns the same run instead of starting
  // another; other input is another run, so it gets a new key
  const requestKey = useRef(newRequestKey());
  useEffect(() => {
    if (values) requestKey.current = newRequestKey();
  }, [values]);
  const start = useMutation({
    mutationFn: (body: StartRunBody) => api.runs.start(body, requestKey.current),
    onSuccess: () => {
      toast("Run started");
      setValues(initialValues(fields));
      setErrors({});
      // the socket event does this too; do not wait for it
      queryClient.invalidateQueries({ queryKey: queryKeys.runs.all });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 400) {
        const byField = issuesByField(error.details, fields);
        setErrors(Object.keys(byField).length ? byField : { "": error.message });
      } else setErrors({ "": error instanceof ApiError ? error.message : "Could not reach the server." });
    },
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { input, errors: invalid } = validateValues(fields, values);
    setErrors(invalid);
    if (Object.keys(invalid).length > 0) {
      const first = fields.find((f) => invalid[f.name]);
      if (first) document.getElementById(`${id}-${first.name}`)?.focus();
      return;
    }
    const body = startRunBody.safeParse({ workflow: workflowId, input });
    if (!body.success) {
      setErrors({ "": "This input cannot be sent." });
      return;
    }
    start.mutate(body.data);
  }

  return (
    <form aria-label="Start run" onSubmit={onSubmit} noValidate className="space-y-4">
      {fields.map((field) => (
        <SchemaField
          key={field.name}
          id={`${id}-${field.name}`}
          field={field}
          value={values[field.name] ?? ""}
          error={errors[field.name]}
          onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
        />
      ))}
      {fields.length === 0 ? <EmptyState inline title="This workflow takes no input." /> : null}
      {errors[""] ? (
        <p role="alert" className="text-sm font-medium text-red-700">
          {errors[""]}
        </p>
      ) : null}
      <Button type="submit" variant="primary" className="w-full" disabled={start.isPending}>
        {start.isPending ? "Starting…" : "Start run"}
      </Button>
    </form>
  );
}
