// Finds a Chromium for Playwright: CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own download.
import fs from "node:fs";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
  try {
    const { chromium } = await import("@playwright/test");
    candidates.push(chromium.executablePath());
  } catch {
    // no Playwright installed: only the paths above
  }
  return candidates.find((p) => p && fs.existsSync(p));
}

export const HOW_TO_GET_CHROMIUM =
  "No Chromium found. Install Debian's (apt-get update && apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.";
