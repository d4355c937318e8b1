import pino from "pino";
import { logLevelOf } from "@/lib/env";

export const logger = pino({
  level: logLevelOf(),
  base: { app: "gatehouse" },
  redact: ["password", "*.password", "token", "*.token"],
});
export type Logger = pino.Logger;
