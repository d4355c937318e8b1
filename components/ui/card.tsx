import type { ReactNode } from "react";

/** A bordered white section with an optional heading row. */
export function Card({
  title,
  titleId,
  actions,
  children,
  className = "",
  as: Tag = "section",
  ...rest
}: {
  title?: ReactNode;
  titleId?: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  as?: "section" | "div";
  "aria-label"?: string;
}) {
  return (
    <Tag
      className={`relative min-w-0 rounded-lg border border-slate-200 bg-white shadow-xs ${className}`}
      aria-labelledby={title && titleId ? titleId : undefined}
      {...rest}
    >
      {title || actions ? (
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-2.5">
          {title ? (
            <h2 id={titleId} className="text-sm font-semibold text-slate-900">
              {title}
            </h2>
          ) : (
            <span />
          )}
          {actions}
        </div>
      ) : null}
      <div className="p-4">{children}</div>
    </Tag>
  );
}
