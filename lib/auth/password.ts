import "server-only";
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

// scrypt from Node's OpenSSL: a slow, memory-hard KDF, no hand-rolled crypto.
// OWASP's Password Storage Cheat Sheet: N=2^17, r=8, p=1 (128 MiB and ~0.1–0.5 s per hash).
const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
// scrypt needs 128·N·r bytes plus OpenSSL's small buffers; the cap also refuses a stored hash that asks for more
const MAX_MEMORY = 128 * PARAMS.N * PARAMS.r + 1024 * 1024;
// each derivation takes 128 MiB and a core: at most this many at once, the rest wait their turn
const MAX_CONCURRENT_DERIVATIONS = 2;

/** First come, first served slots for the KDF, so a burst of sign-ins cannot take all memory and cores. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // hand the slot straight to the next in line, or give it back
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

const kdfSlots = new Slots(MAX_CONCURRENT_DERIVATIONS);

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return kdfSlots.run(
    () =>
      new Promise((resolve, reject) =>
        scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { ...options, maxmem: MAX_MEMORY }, (err, key) =>
          err ? reject(err) : resolve(key),
        ),
      ),
  );
}

type StoredHash = { N: number; r: number; p: number; salt: Buffer; key: Buffer };

/** `scrypt$N$r$p$salt$key`, or undefined for anything else (then no password matches it). */
function parseStored(stored: string): StoredHash | undefined {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split("$");
  const [N, R, P] = [n, r, p].map(Number);
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (scheme !== "scrypt" || rest.length > 0 || !salt || !key || !powerOfTwo) return undefined;
  if (!Number.isInteger(R) || !Number.isInteger(P) || R < 1 || P < 1 || 128 * N * R > MAX_MEMORY) return undefined;
  return { N, r: R, p: P, salt: Buffer.from(salt, "base64"), key: Buffer.from(key, "base64") };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const hash = parseStored(stored);
  if (!hash) return false;
  const key = await derive(password, hash.salt, { N: hash.N, r: hash.r, p: hash.p });
  return key.length === hash.key.length && timingSafeEqual(key, hash.key);
}

/** A hash made with other parameters than today's: rehash it when the password is next known (at sign-in). */
export function needsRehash(stored: string): boolean {
  const hash = parseStored(stored);
  return !hash || hash.N !== PARAMS.N || hash.r !== PARAMS.r || hash.p !== PARAMS.p || hash.key.length !== KEY_LENGTH;
}

/** Spends the same time as a real check, so unknown emails are not told apart by timing. */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("not-a-real-password");
  await verifyPassword(password, await dummyHash);
}
