/** For start-up tests (issue 11 §7): a port nothing listens on, and a start whose retry waits are recorded, not slept. */
import { createServer, type AddressInfo } from "node:net";

/** A port on 127.0.0.1 nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Thrown by the recorded sleep to end a start that would otherwise retry for ever. */
export class GiveUp extends Error {}

export interface Recorded<T> {
  readonly result: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };
  /** The waits asked for between tries, in ms. */
  readonly waits: number[];
  /** Wall time of the whole start, in ms. */
  readonly ms: number;
}

/** Runs `start` with a sleep that records each wait and gives up at the `giveUpAfter`-th. */
export async function recordedStart<T>(start: (sleep: (ms: number) => Promise<void>) => Promise<T>, giveUpAfter: number): Promise<Recorded<T>> {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
    if (waits.length >= giveUpAfter) throw new GiveUp();
  };
  const began = Date.now();
  const result = await start(sleep).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { result, waits, ms: Date.now() - began };
}
