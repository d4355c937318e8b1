import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** A new random secret (session cookie value, API token body): 256 bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Secrets are stored only as their sha256: a copied database holds no live credential. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
