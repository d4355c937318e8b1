/** How a checkpoint's content is shown and edited (client-safe). */
export const CONTENT_TYPES = ["text", "markdown", "json"] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];
