import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "@/db/client";
import { workflowEvents } from "@/db/schema";
import type { EventDto } from "@/lib/api/types";
import { EventType } from "@/lib/events";
import { EventRelay } from "./relay";

const silent = pino({ level: "silent" });

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relay-"));
  const { db, sqlite } = openDatabase(`file:${path.join(dir, "t.db")}`);
  migrateDatabase(db);
  const commit = (runId: string) =>
    db
      .insert(workflowEvents)
      .values({ type: EventType.runCreated, runId, actorType: "system", actorName: "system", createdAt: Date.now() })
      .run();
  return { db, sqlite, commit };
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe("EventRelay (the outbox)", () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it("starts after what was already committed, then emits new events once each, in id order", async () => {
    const { db, sqlite, commit } = setup();
    close = () => sqlite.close();
    commit("before-boot");
    const sent: EventDto[] = [];
    const relay = new EventRelay(db, (e) => sent.push(e), silent);
    commit("a");
    commit("b");
    relay.notify();
    relay.notify();
    await nextTick();
    expect(sent.map((e) => e.runId)).toEqual(["a", "b"]);
    relay.flush();
    expect(sent).toHaveLength(2);
  });

  it("sends what was committed without a notify (a crash between commit and emit) on the next flush", async () => {
    const { db, sqlite, commit } = setup();
    close = () => sqlite.close();
    const sent: EventDto[] = [];
    const relay = new EventRelay(db, (e) => sent.push(e), silent);
    commit("missed-1");
    commit("missed-2");
    commit("later");
    relay.notify();
    await nextTick();
    expect(sent.map((e) => e.runId)).toEqual(["missed-1", "missed-2", "later"]);
    expect(relay.lastId).toBe(sent[2].id);
  });

  it("does not stall on an event whose emit throws", async () => {
    const { db, sqlite, commit } = setup();
    close = () => sqlite.close();
    const sent: string[] = [];
    const relay = new EventRelay(
      db,
      (e) => {
        if (e.runId === "bad") throw new Error("boom");
        sent.push(e.runId);
      },
      silent,
    );
    commit("bad");
    commit("good");
    relay.notify();
    await nextTick();
    expect(sent).toEqual(["good"]);
  });
});
