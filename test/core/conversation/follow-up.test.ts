/** The pure decision of where an owner's words go after filing (src/core/conversation/follow-up.ts). */
import { describe, expect, it } from "vitest";
import { followUp, isAcknowledgement, ticketNamedIn, type OwnerTicket } from "../../../src/core/conversation/follow-up.js";

const conduct: OwnerTicket = { number: "HG-0001", status: "in_progress", category: "conduct" };
const lift: OwnerTicket = { number: "HG-0002", status: "claimed", category: "engineering" };
const closed: OwnerTicket = { number: "HG-0003", status: "closed", category: "cleaning" };
const text = (t: string) => ({ type: "text", text: t }) as const;
const photo = (caption: string | null = null) => ({ type: "photo", caption }) as const;

describe("where an owner's words go after filing", () => {
  it("a thank-you goes to the one open matter, or is only answered", () => {
    for (const thanks of ["好的,谢谢", "好的谢谢!", "收到,辛苦了", "ok thanks", "Thank you so much 👍", "OK", "谢谢您"]) {
      expect(followUp(text(thanks), [conduct, closed], null), thanks).toEqual({ to: "ticket", number: "HG-0001", why: "only_open" });
      expect(followUp(text(thanks), [closed], null), thanks).toEqual({ to: "courtesy" });
      expect(followUp(text(thanks), [], null), thanks).toEqual({ to: "courtesy" });
    }
    // Two matters open: a thank-you is no reason to ask which one.
    expect(followUp(text("谢谢"), [conduct, lift], null)).toEqual({ to: "courtesy" });
    expect(followUp(text("谢谢"), [conduct, lift], lift)).toEqual({ to: "ticket", number: "HG-0002", why: "reply" });
  });

  it("a short answer or a photo goes to the one open matter; with several the owner is asked", () => {
    expect(followUp(text("明天下午在家"), [conduct], null)).toEqual({ to: "ticket", number: "HG-0001", why: "only_open" });
    expect(followUp(photo(), [conduct, closed], null)).toEqual({ to: "ticket", number: "HG-0001", why: "only_open" });
    expect(followUp(text("明天下午在家"), [conduct, lift], null)).toEqual({ to: "which", numbers: ["HG-0001", "HG-0002"] });
    expect(followUp(photo("这里"), [lift, conduct], null)).toEqual({ to: "which", numbers: ["HG-0002", "HG-0001"] });
  });

  it("a reply to a message about a ticket goes to that ticket, whatever else is open", () => {
    expect(followUp(text("师傅几点来?"), [conduct, lift], lift)).toEqual({ to: "ticket", number: "HG-0002", why: "reply" });
    expect(followUp(text("还是漏水"), [conduct, lift], lift)).toEqual({ to: "ticket", number: "HG-0002", why: "reply" });
    expect(followUp(photo(), [conduct, lift], conduct)).toEqual({ to: "ticket", number: "HG-0001", why: "reply" });
  });

  it("a new problem, or words announcing one, starts an intake and names what stays open", () => {
    expect(followUp(text("厨房水管漏水了,地上全是水"), [conduct], null)).toEqual({ to: "intake", text: "厨房水管漏水了,地上全是水", besides: ["HG-0001"] });
    expect(followUp(text("另外还有一件事,楼道灯不亮"), [lift], null)).toEqual({ to: "intake", text: "楼道灯不亮", besides: ["HG-0002"] });
    expect(followUp(text("另外还有一件事"), [conduct], conduct)).toEqual({ to: "intake", text: undefined, besides: ["HG-0001"] });
    expect(followUp(text("Also, the corridor light is out"), [conduct], null)).toEqual({ to: "intake", text: "the corridor light is out", besides: ["HG-0001"] });
    expect(followUp(text("明天下午在家"), [closed], null)).toEqual({ to: "intake", text: "明天下午在家", besides: [] });
    expect(followUp(photo("漏水"), [], null)).toEqual({ to: "intake", text: "漏水", besides: [] });
  });

  it("more of the same kind of trouble as an open matter is asked about, never guessed", () => {
    expect(followUp(text("还是漏水"), [lift], null)).toEqual({ to: "which", numbers: ["HG-0002"] });
  });

  it("a reply to a finished ticket is not added to it", () => {
    expect(followUp(text("谢谢"), [closed], closed)).toEqual({ to: "courtesy" });
    expect(followUp(text("明天下午在家"), [closed, conduct], closed)).toEqual({ to: "ticket", number: "HG-0001", why: "only_open" });
  });
});

describe("acknowledgements", () => {
  it("are made of thanks and okays only", () => {
    for (const yes of ["好的,谢谢", "好", "嗯嗯", "收到了!", "谢谢你们,辛苦了", "ok", "okay", "Thanks!", "thank you very much", "got it, thx", "👍 好的"]) {
      expect(isAcknowledgement(yes), yes).toBe(true);
    }
    for (const no of ["不好", "好的,明天下午在家", "ok the lift is broken again", "kitchen", "谢谢,但是还在漏水", "👍", "", "thanks for nothing"]) {
      expect(isAcknowledgement(no), no).toBe(false);
    }
  });
});

describe("the ticket a bot message names", () => {
  it("is the one number in it, however often it is named", () => {
    expect(ticketNamedIn("工单 HG-0001 的工作人员回复:明天上午来修")).toBe("HG-0001");
    expect(ticketNamedIn("已为您登记,工单号 HG-0012。\n随时发送 /status HG-0012 查看进度")).toBe("HG-0012");
    expect(ticketNamedIn("Staff reply on ticket JX-0003: tomorrow")).toBe("JX-0003");
  });

  it("is none when the message names none or several", () => {
    expect(ticketNamedIn("您最近的 2 个工单:\nHG-0001 …\nHG-0002 …")).toBeNull();
    expect(ticketNamedIn("您好,请问有什么可以帮您?")).toBeNull();
    expect(ticketNamedIn(undefined)).toBeNull();
    expect(ticketNamedIn("room 2-1501, phone 138-12345678")).toBeNull();
  });
});
