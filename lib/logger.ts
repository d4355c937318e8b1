import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL || "info",
  base: { app: "gatehouse" },
  redact: ["password", "*.password", "token", "*.token"],
});
export type Logger = pino.Logger;
