import Link from "next/link";
import type { ReactNode } from "react";
import { ApiError } from "@/lib/api/client";
import { Button } from "./button";

/**
 * The states every page and section shows the same way: loading, empty,
 * failed, and a detail page whose record could not be loaded.
 */

/** A spinner and what is loading (role="status"); `className` places it (default: a section's padding). */
export function LoadingState({ label = "Loading…", className = "py-8" }: { label?: string; className?: string }) {
  return (
    <div role="status" className={`flex items-center gap-2 text-sm text-slate-500 ${className}`}>
      <span
        aria-hidden="true"
        className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-slate-700"
      />
      <span>{label}</span>
    </div>
  );
}

/** Nothing to show: a dashed box for a page's list, or one quiet line (`inline`) inside a card or form. */
export function EmptyState({
  title,
  children,
  inline = false,
}: {
  title: string;
  children?: ReactNode;
  inline?: boolean;
}) {
  if (inline) return <p className="text-sm text-slate-500">{title}</p>;
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <p className="text-sm font-medium text-slate-900">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-500">{children}</div> : null}
    </div>
  );
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return "Could not reach the server. Check your connection.";
  return "Something went wrong.";
}

export function ErrorState({
  error,
  title = "Could not load this",
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      <p className="font-medium">{title}</p>
      <p className="mt-0.5">{errorText(error)}</p>
      {onRetry ? (
        <Button size="sm" className="mt-2" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}

/**
 * A detail page whose record did not load: "<Thing> not found" on a 404 (else
 * just "<Thing>"), the error with a retry, and the way back to its list.
 */
export function NotFoundView({
  thing,
  error,
  onRetry,
  backHref,
  backLabel,
}: {
  thing: "Run" | "Checkpoint";
  error: unknown;
  onRetry: () => void;
  backHref: string;
  backLabel: string;
}) {
  const missing = error instanceof ApiError && error.status === 404;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold text-slate-900">{missing ? `${thing} not found` : thing}</h1>
      <ErrorState error={error} title={`Could not load this ${thing.toLowerCase()}`} onRetry={onRetry} />
      <Link href={backHref} className="text-sm text-blue-700 hover:underline">
        {backLabel}
      </Link>
    </div>
  );
}
