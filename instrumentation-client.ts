import { z } from "zod";

// The pages run under a CSP without 'unsafe-eval' (proxy.ts). Zod would probe `new Function` to compile
// faster parsers, which the browser reports as a CSP violation (zod catches the refusal and falls back):
// turn the probe off here, before the app's code builds its first schema.
z.config({ jitless: true });
