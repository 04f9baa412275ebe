/**
 * What an owner types and reads after filing (issue 11's acceptance), in each language: shared by
 * the grammY and Slack suites, which differ only in how they type and press.
 */
export const AFTER_FILING = {
  "zh-CN": {
    thanks: "好的,谢谢",
    thanked: "不客气!已把您的话转告工单 HG-0001 的负责同事。",
    leak: "厨房水管漏水了,地上全是水",
    newMatter: "这是一件新事项,下面为您另行登记,不会加到 HG-0001。",
    staffReply: "工单 HG-0001 的工作人员回复:明天上午处理",
    home: "明天下午在家",
    which: "您有几个正在处理的工单,这条消息是关于哪一个的?",
    whichButtons: ["HG-0002 · 报修", "HG-0001 · 投诉", "一件新事项"],
    added: (n: string) => `已补充到工单 ${n},已转告负责的同事。`,
    photoAdded: "照片已添加到工单 HG-0001(共 1 张),已转告负责的同事。",
    question: "师傅几点来?",
  },
  en: {
    thanks: "ok thanks",
    thanked: "You're welcome! Your words were passed on to the staff handling ticket HG-0001.",
    leak: "The kitchen pipe is leaking, water everywhere",
    newMatter: "This is a new matter, so I am filing it separately, not under HG-0001.",
    staffReply: "Staff reply on ticket HG-0001: 明天上午处理",
    home: "I'm home tomorrow afternoon",
    which: "You have several tickets being handled. Which one is this message about?",
    whichButtons: ["HG-0002 · repair", "HG-0001 · complaint", "A new matter"],
    added: (n: string) => `Added to ticket ${n}; the staff handling it have been told.`,
    photoAdded: "Photo added to ticket HG-0001 (1 in all); the staff handling it have been told.",
    question: "When will the technician come?",
  },
} as const;

/** What 王 (the follower, in zh-CN) is pushed when the owner adds to HG-0001. */
export const PUSHED = {
  text: (words: string) => `📝 业主补充了工单 HG-0001:${words}`,
  photo: "📷 业主为工单 HG-0001 补充了照片(现共 1 张)。",
};
