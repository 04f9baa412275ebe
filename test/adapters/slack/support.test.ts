/**
 * Bolt's and the WebClient's log onto ours: the level they chose is kept, so a 429 being retried
 * or a forged request refused reads as a warning and an operator's `[error]` means trouble.
 */
import { describe, expect, it } from "vitest";
import { boltLogger } from "../../../src/adapters/slack/support.js";
import { lineLogger } from "../../support/logger.js";

describe("boltLogger", () => {
  it("sends Bolt's warnings to warn and its errors to error, with the Error apart from the words", () => {
    const lines: string[] = [];
    const bolt = boltLogger(lineLogger(lines));
    bolt.warn("http request failed", new Error("socket hang up"));
    bolt.warn("Failed to parse and verify the request data:", "invalid signature");
    bolt.error("An unhandled error occurred while Bolt processed an event", new Error("boom"));
    expect(lines).toEqual([
      "warn: slack: http request failed Error: socket hang up",
      "warn: slack: Failed to parse and verify the request data: invalid signature",
      "error: slack: An unhandled error occurred while Bolt processed an event Error: boom",
    ]);
  });

  it("passes debug and info on as ours, for LOG_LEVEL to keep or drop", () => {
    const lines: string[] = [];
    const bolt = boltLogger({ ...lineLogger([]), debug: (m) => void lines.push(`debug: ${m}`), info: (m) => void lines.push(`info: ${m}`) });
    bolt.debug("sending request", { url: "chat.postMessage" });
    bolt.info("Now connected to Slack");
    expect(lines).toEqual(['debug: slack: sending request {"url":"chat.postMessage"}', "info: slack: Now connected to Slack"]);
  });
});
