/**
 * The built-in workflow whose runs are the inbox's checkpoints (SPEC §9). Run
 * lists leave its runs out unless asked for by name, on the server and in the
 * live cache alike, so the name lives here, outside server-only code.
 */
export const INBOX_WORKFLOW = "inbox";
