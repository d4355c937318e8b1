import { useEffect, useRef } from "react";

/** approve / edit / reject are left out when the checkpoint does not allow them: their keys then do nothing. */
type ShortcutHandlers = {
  approve?: () => void;
  edit?: () => void;
  reject?: () => void;
  next(): void;
  previous(): void;
  toggleHelp(): void;
  closeHelp(): void;
};

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** a / e / r / j / k / ? on the review screen, ignored while typing; only ? and Escape while the help is open. */
export function useReviewShortcuts(handlers: ShortcutHandlers, helpOpen: boolean): void {
  const ref = useRef({ handlers, helpOpen });
  ref.current = { handlers, helpOpen };

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return;
      if (isTyping(event.target)) return;
      const { handlers: h, helpOpen: open } = ref.current;
      const map: Record<string, (() => void) | undefined> = open
        ? { "?": h.toggleHelp, Escape: h.closeHelp }
        : { a: h.approve, e: h.edit, r: h.reject, j: h.next, k: h.previous, "?": h.toggleHelp };
      const action = map[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
}
