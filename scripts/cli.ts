import "server-only";
import { parseArgs } from "node:util";
import { z } from "zod";
import { CLI_ACTOR } from "@/db/admin-event-queries";
import { listUsers } from "@/db/auth-queries";
import type { Db } from "@/db/client";
import type { Cursor } from "@/db/keyset";
import type { User } from "@/db/schema";
import { createTokenBody, emailSchema } from "@/lib/api/schemas";
import { createApiToken } from "@/lib/auth/tokens";
import { createUser, disableUser, userByEmail } from "@/lib/auth/users";
import { loadEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { ROLES } from "@/lib/roles";
import { DEFAULT_TOKEN_SCOPES } from "@/lib/scopes";
import { boot } from "@/lib/server/boot";

const usage = `Usage:
  npm run users -- add --email E --role reviewer|admin --password P [--name N]
  npm run users -- list
  npm run users -- disable --email E     (ends their sessions; their live sockets drop)
  npm run users -- token --name N [--scopes runs:write,runs:read,checkpoints:write,metrics:read]
                                         (creates an API token and prints its secret once; default scope runs:write)`;

const addArgs = z.object({
  email: emailSchema,
  role: z.enum(ROLES),
  password: z.string().min(8, "password must be at least 8 characters"),
  name: z.string().optional(),
});

/** Every user, oldest first, a page at a time. */
function* allUsers(db: Db): Generator<User> {
  let after: Cursor | undefined;
  do {
    const page = listUsers(db, { limit: 500, after });
    yield* page.items;
    after = page.next ?? undefined;
  } while (after);
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      scopes: { type: "string" },
    },
  });
  const env = loadEnv();
  const { db, sqlite } = await boot(env, logger.child({}, { level: "warn" }));
  try {
    switch (positionals[0]) {
      case "add": {
        const args = addArgs.safeParse(values);
        if (!args.success)
          throw new Error(args.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
        const user = await createUser(db, args.data, CLI_ACTOR);
        process.stdout.write(`created ${user.role} ${user.email} (${user.id})\n`);
        break;
      }
      case "disable": {
        const email = emailSchema.safeParse(values.email);
        if (!email.success) throw new Error("--email is required");
        const user = userByEmail(db, email.data);
        if (!user) throw new Error(`no user ${email.data}`);
        disableUser(db, user.id);
        process.stdout.write(`disabled ${user.email}; their sessions are ended\n`);
        break;
      }
      case "list":
        for (const u of allUsers(db)) {
          process.stdout.write(`${u.email}\t${u.role}\t${u.name}${u.disabledAt ? "\tdisabled" : ""}\n`);
        }
        break;
      case "token": {
        const args = createTokenBody.safeParse({
          name: values.name ?? "",
          scopes: values.scopes?.split(",").map((s) => s.trim()) ?? DEFAULT_TOKEN_SCOPES,
        });
        if (!args.success)
          throw new Error(args.error.issues.map((i) => `--${String(i.path[0] ?? "name")}: ${i.message}`).join("\n"));
        const { token, secret, signingSecret } = createApiToken(db, { ...args.data, createdBy: null }, CLI_ACTOR);
        // stdout holds only the secret, so `TOKEN=$(npm run -s users -- token …)` works
        process.stdout.write(`${secret}\n`);
        process.stderr.write(
          `token ${token.id} "${token.name}" with scopes ${token.scopes.join(",")}\n` +
            `signing secret (webhook signatures; shown once): ${signingSecret}\n`,
        );
        break;
      }
      default:
        process.stdout.write(`${usage}\n`);
        process.exitCode = positionals[0] ? 1 : 0;
    }
  } finally {
    sqlite.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${isAppError(err) ? err.message : err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
