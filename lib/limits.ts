/**
 * Sizes capped where content enters and where it grows (SPEC §12). Client-safe:
 * the review screen checks an edit against the same number the API enforces.
 */

/** A reviewer's edited content, in characters. */
export const MAX_EDIT_CHARS = 200_000;
/** A reviewer's notes, in characters. */
export const MAX_NOTES_CHARS = 10_000;
/** What one agent step may add to a run's state, as JSON bytes (a model's 200 KB, SPEC §8). */
export const MAX_AGENT_OUTPUT_BYTES = 200 * 1024;
/** A run's whole state, as JSON bytes: a step that would pass it fails. */
export const MAX_RUN_STATE_BYTES = 1024 * 1024;
/** A history search, in characters: the index matches substrings of three characters or more. */
export const MIN_SEARCH_CHARS = 3;
export const MAX_SEARCH_CHARS = 100;
/** How much of a checkpoint's content a list shows (the detail has it all). */
export const PREVIEW_CHARS = 300;
