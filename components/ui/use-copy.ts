"use client";

import { useState } from "react";

/** Copies a value to the clipboard on demand; `copied` says whether the last copy worked. */
export function useCopy(value: string) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // clipboard refused (plain http, permissions): the value is on screen to select by hand
      setCopied(false);
    }
  }
  return { copied, copy };
}
