import fs from "node:fs";
import WebSocket from "ws";

/**
 * A raw WebSocket speaking Engine.IO v4 / Socket.IO v5 frames by hand, for
 * attacks a real Socket.IO client would never send (huge CONNECT payloads,
 * many CONNECTs on one connection). Frames: `0{…}` open (server), `2`/`3`
 * ping/pong, `40{auth}` CONNECT to "/", `44{…}` CONNECT_ERROR, `42[…]` EVENT.
 */
export class RawSocket {
  private readonly packets: string[] = [];
  private waiter: ((packet: string | null) => void) | undefined;
  closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const packet = data.toString();
      // answer the server's pings so the connection stays up as long as the server wants it
      if (packet === "2") return ws.send("3");
      if (packet.startsWith("0{")) return;
      this.deliver(packet);
    });
    ws.on("close", () => {
      this.closed = true;
      this.deliver(null);
    });
    ws.on("error", () => {
      // a close follows
    });
  }

  /** Opens a connection at Socket.IO's path; a refused upgrade resolves to its HTTP status. */
  static open(url: string, headers: Record<string, string>): Promise<RawSocket | { refused: number }> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, {
      headers,
      perMessageDeflate: false,
    });
    return new Promise((resolve) => {
      ws.once("unexpected-response", (req, res) => {
        res.resume();
        req.destroy();
        resolve({ refused: res.statusCode ?? 0 });
      });
      ws.once("open", () => resolve(new RawSocket(ws)));
      ws.once("error", () => resolve({ refused: 0 }));
    });
  }

  send(frame: string): void {
    if (!this.closed) this.ws.send(frame);
  }

  /** The next Socket.IO packet from the server, or null when the connection closes or nothing comes in time. */
  next(withinMs = 5000): Promise<string | null> {
    const queued = this.packets.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(null);
      }, withinMs);
      this.waiter = (packet) => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(packet);
      };
    });
  }

  close(): void {
    this.ws.terminate();
  }

  private deliver(packet: string | null) {
    if (this.waiter) this.waiter(packet);
    else if (packet !== null) this.packets.push(packet);
  }
}

export function isRawSocket(value: RawSocket | { refused: number }): value is RawSocket {
  return value instanceof RawSocket;
}

/** Resident memory of a process in bytes (Linux), from /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
