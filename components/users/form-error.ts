import { errorText } from "@/components/ui/states";
import { ApiError } from "@/lib/api/client";

/** The message to show under a form: the first field issue of a 400, else the API's own message (409, 403…). */
export function formErrorText(err: unknown): string {
  const issue = err instanceof ApiError ? (err.details as { issues?: { message: string }[] })?.issues?.[0] : null;
  return issue?.message ?? errorText(err);
}
