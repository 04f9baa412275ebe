import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { report } from "../../../eval/report.js";
import { kindAccuracy, majorPrecision, majorRecall, parseCorpus, score, type CorpusRow, type Split } from "../../../eval/score.js";
// The keyword tables' own behaviour; the learned model beside them is tested in learned.test.ts,
// and the corpus below scores the two together, as the bot runs them.
import {
  classify as classifyWithModel,
  classifyByKeywords as classify,
  EXPLICIT_WEIGHT,
  MAX_CLASSIFY_CHARS,
  normalizeForClassify,
  type Classification,
} from "../../../src/core/classify/keywords.js";
import {
  CATEGORY_PRIORITY,
  CATEGORY_STOP_TERMS,
  CATEGORY_TERMS,
  KIND_PRIORITY,
  KIND_STOP_TERMS,
  KIND_TERMS,
  MAJOR_PAIRS,
  MAJOR_STOP_TERMS,
  MAJOR_TERMS,
  parseLexicon,
} from "../../../src/core/classify/lexicon.js";
import lexiconJson from "../../../src/core/classify/lexicon.json" with { type: "json" };
import { CATEGORIES, NAMED_MAJOR_REASONS, TICKET_KINDS } from "../../../src/core/ticket/kinds.js";

type Expect = Partial<Pick<Classification, "kind" | "category" | "majorReasons">>;

/**
 * Real-shaped owner messages. `majorReasons` is always compared exactly, and `major` is checked
 * to agree with it, so every row also asserts "not major" unless it lists a reason.
 */
const CASES: readonly (readonly [string, Expect])[] = [
  // The examples from the design brief.
  ["楼上漏水,我家天花板都泡了", { kind: "repair", category: "engineering", majorReasons: ["flooding"] }],
  ["保安态度太差了,我要投诉", { kind: "complaint", category: "conduct", majorReasons: [] }],
  ["电梯又坏了,第三次了,没人管", { kind: "complaint", category: "engineering", majorReasons: ["repeated"] }],
  ["有人被困在电梯里了!", { kind: "repair", category: "engineering", majorReasons: ["lift_trapped"] }],
  ["闻到煤气味", { kind: "repair", category: "engineering", majorReasons: ["gas"] }],
  ["着火了", { kind: "repair", category: "security", majorReasons: ["fire"] }],
  ["楼道里冒烟", { majorReasons: ["fire"] }],
  ["小孩在小区摔伤了", { kind: "complaint", majorReasons: ["injury"] }],
  ["车位被别人占了", { kind: "complaint", category: "parking", majorReasons: [] }],
  ["物业费怎么交", { kind: "inquiry", category: "fees", majorReasons: [] }],
  ["建议在小区多装几个路灯", { kind: "suggestion", category: "engineering", majorReasons: [] }],
  ["感谢保洁阿姨,楼道很干净", { kind: "praise", category: "cleaning", majorReasons: [] }],
  ["垃圾好几天没人收", { kind: "complaint", category: "cleaning", majorReasons: [] }],
  ["树枝太长挡住窗户", { kind: "complaint", category: "greening", majorReasons: [] }],
  ["我们几十户业主联名投诉", { kind: "complaint", majorReasons: ["collective"] }],
  ["再不处理我要找媒体曝光", { kind: "complaint", majorReasons: ["media"] }],
  ["我要打12345投诉你们", { kind: "complaint", majorReasons: ["escalation"] }],
  ["The kitchen tap is leaking", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["There's water everywhere, the pipe burst", { kind: "repair", category: "engineering", majorReasons: ["flooding"] }],
  ["someone is stuck in the elevator", { kind: "repair", category: "engineering", majorReasons: ["lift_trapped"] }],
  ["the guard was rude", { kind: "complaint", category: "conduct", majorReasons: [] }],
  ["how do I pay the property fee?", { kind: "inquiry", category: "fees", majorReasons: [] }],
  ["thank you to the cleaner", { kind: "praise", category: "cleaning", majorReasons: [] }],
  ["I suggest more lights", { kind: "suggestion", category: "engineering", majorReasons: [] }],

  // Everyday repairs: not major.
  ["水龙头一直滴水", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["卫生间下水道堵了", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["楼道灯不亮了", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["家里停电了", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["没有热水", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["地下车库灯坏了", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["no hot water since yesterday", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["Thanks, the tap is broken", { kind: "repair", category: "engineering", majorReasons: [] }],

  // Emergencies.
  ["水管爆了", { kind: "repair", category: "engineering", majorReasons: ["flooding"] }],
  ["谢谢,楼上漏水把我家淹了", { kind: "repair", majorReasons: ["flooding"] }],
  ["电梯卡住了,里面有人", { kind: "repair", majorReasons: ["lift_trapped"] }],
  ["The elevator stopped between floors and my mother is trapped inside", { majorReasons: ["lift_trapped"] }],
  ["There is a gas smell in the kitchen", { kind: "repair", category: "engineering", majorReasons: ["gas"] }],
  ["Fire! Smoke coming from the 5th floor", { majorReasons: ["fire"] }],
  ["电表箱冒烟了", { category: "engineering", majorReasons: ["fire"] }],
  ["My son fell down the stairs and is bleeding", { kind: "complaint", majorReasons: ["injury"] }],
  ["小区门口有陌生人撬锁", { kind: "complaint", category: "security", majorReasons: ["security_incident"] }],
  ["我家被偷了,要报警", { kind: "complaint", category: "security", majorReasons: ["security_incident", "escalation"] }],
  ["Someone broke into my flat", { kind: "complaint", category: "security", majorReasons: ["security_incident"] }],
  ["楼下有人打架", { kind: "complaint", category: "security", majorReasons: ["security_incident"] }],

  // Service complaints (seed 003 §6.5.3 1)) and repair-type complaints.
  ["保洁阿姨骂人", { kind: "complaint", category: "conduct", majorReasons: [] }],
  ["The guard shouted at my kid", { kind: "complaint", category: "conduct", majorReasons: [] }],
  ["维修师傅效率太低,等了三天", { kind: "complaint", category: "efficiency", majorReasons: [] }],
  ["物业管理太差了", { kind: "complaint", category: "management", majorReasons: [] }],
  ["怎么又坏了", { kind: "complaint", category: "engineering", majorReasons: [] }],
  ["我要投诉,楼上漏水把我家淹了", { kind: "complaint", category: "engineering", majorReasons: ["flooding"] }],
  // Reported three times and nobody came: a repeated failure is a complaint about efficiency (issue 15).
  ["报修三次都没人来,我要打12345投诉", { kind: "complaint", category: "efficiency", majorReasons: ["repeated", "escalation"] }],
  ["这是我第二次投诉了", { kind: "complaint", majorReasons: ["repeated"] }],
  ["The lift broke down for the third time this month", { kind: "complaint", category: "engineering", majorReasons: ["repeated"] }],
  ["The hallway is dirty and nobody cleans it", { kind: "complaint", category: "cleaning", majorReasons: [] }],
  ["狗屎没人清理", { kind: "complaint", category: "cleaning", majorReasons: [] }],
  ["楼下有人乱停车,堵住了消防通道", { kind: "complaint", category: "parking", majorReasons: [] }],
  ["My car was scratched in the parking garage", { kind: "complaint", category: "parking", majorReasons: [] }],
  ["楼上装修太吵了", { kind: "complaint", category: "management", majorReasons: [] }],
  ["I want to complain about the noise from renovation", { kind: "complaint", category: "management", majorReasons: [] }],
  ["小区的草坪很久没修剪了", { kind: "complaint", category: "greening", majorReasons: [] }],
  ["你们是不是不想干了?垃圾物业", { kind: "complaint", category: "management", majorReasons: [] }],
  ["All the residents signed a petition", { kind: "complaint", majorReasons: ["collective"] }],
  ["I'll post this on social media and tell the newspaper", { kind: "complaint", majorReasons: ["media"] }],
  ["We will call the police and report you to 12345", { kind: "complaint", majorReasons: ["escalation"] }],

  // Inquiries, suggestions, praise.
  ["停车费多少钱一个月", { kind: "inquiry", category: "fees", majorReasons: [] }],
  ["请问快递放在哪里", { kind: "inquiry", majorReasons: [] }],
  ["Is the swimming pool open on weekends?", { kind: "inquiry", category: "other", majorReasons: [] }],
  ["Could you tell me when the water will be back?", { kind: "inquiry", majorReasons: [] }],
  ["投诉电话是多少", { kind: "inquiry", majorReasons: [] }],
  ["垃圾一天收几次?", { kind: "inquiry", category: "cleaning", majorReasons: [] }],
  ["说了几次了,垃圾还是没人收", { kind: "complaint", category: "cleaning", majorReasons: ["repeated"] }],
  ["建议物业加强巡逻", { kind: "suggestion", category: "security", majorReasons: [] }],
  ["It would be nice to have more benches", { kind: "suggestion", majorReasons: [] }],
  ["保洁阿姨很辛苦,谢谢", { kind: "praise", category: "cleaning", majorReasons: [] }],
  ["Great job, the lobby is very clean now", { kind: "praise", category: "cleaning", majorReasons: [] }],
];

/**
 * Issue 15 item 2: emergencies phrased without the usual words, caught by families of phrasing
 * (majorPairs, majorPatterns) rather than by sentences, and the look-alikes that must stay calm.
 * None of these sentences is in eval/corpus.jsonl.
 */
const INDIRECT: readonly (readonly [string, Expect])[] = [
  // A trapped lift: someone inside plus a lift that does not move or open, or "between floors".
  ["电梯停在3楼和4楼之间,我爸还在里面按警铃", { kind: "repair", category: "engineering", majorReasons: ["lift_trapped"] }],
  ["we're in the elevator and it won't open", { kind: "repair", category: "engineering", majorReasons: ["lift_trapped"] }],
  // A group's action: a counted group of households, or owners together with an action.
  ["我们楼三十多户都对这事有意见", { kind: "complaint", category: "management", majorReasons: ["collective"] }],
  ["over 50 residents are coming to the office on monday", { kind: "complaint", majorReasons: ["collective"] }],
  // Going public: a video or photos together with posting them.
  ["我把视频发到网上了,让大家评评理", { kind: "complaint", category: "management", majorReasons: ["media"] }],
  ["I filmed the whole thing and will post it online", { kind: "complaint", majorReasons: ["media"] }],
  // An outside body, named by its kind rather than by a listed name.
  ["我会向城管部门举报你们", { kind: "complaint", majorReasons: ["escalation"] }],
  ["I'll take this to the district planning department", { kind: "complaint", majorReasons: ["escalation"] }],
  // Safety hazards and vulnerable people.
  ["广告牌被风吹得摇摇欲坠,下面都是人", { kind: "complaint", majorReasons: ["injury"] }],
  ["小孩爬到窗台上了,窗户也关不上", { kind: "complaint", majorReasons: ["injury"] }],
  ["楼下有位老人摔了站不起来", { kind: "complaint", category: "security", majorReasons: ["injury"] }],
  ["电动车电池在楼道里充电,有股焦味", { kind: "repair", majorReasons: ["fire"] }],
  ["雨水倒灌进地库了", { kind: "repair", majorReasons: ["flooding"] }],
  ["水从灯罩里往下滴", { kind: "repair", category: "engineering", majorReasons: ["flooding"] }],
  // A repeated failure is a complaint, and major.
  ["下水道三天两头就堵", { kind: "complaint", majorReasons: ["repeated"] }],
  ["修了等于没修,还是漏", { kind: "complaint", category: "efficiency", majorReasons: ["repeated"] }],
  // An unanswered phone is a complaint about efficiency, not major.
  ["打了一下午电话,全是忙音", { kind: "complaint", category: "efficiency", majorReasons: [] }],
  ["left two voicemails and nobody called back", { kind: "complaint", category: "efficiency", majorReasons: [] }],
  ["打了三次电话都没人接", { kind: "complaint", category: "efficiency", majorReasons: [] }],
  // Noise and neighbours: management.
  ["广场舞音响太大,天天放到十点", { kind: "complaint", category: "management", majorReasons: [] }],
  ["the neighbour's dog barks all night", { kind: "complaint", category: "management", majorReasons: [] }],
  ["楼上邻居半夜拖椅子", { kind: "complaint", category: "management", majorReasons: [] }],
  // Look-alikes: a plain question naming owners or a lawyer, a question about a past fire, praise.
  ["请问业主大会什么时候开,所有业主都能参加吗", { kind: "inquiry", majorReasons: [] }],
  ["is there a lawyer at the owners' open day?", { kind: "inquiry", majorReasons: [] }],
  ["前几天楼道着火后来查出原因了吗", { kind: "inquiry", majorReasons: [] }],
  ["王师傅修得又快又好,给他点个赞", { kind: "praise", majorReasons: [] }],
  ["电梯里的灯不亮了", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["the light in the lift doesn't work", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["马桶水箱一直在漏水,哗哗响", { kind: "repair", category: "engineering", majorReasons: [] }],
  ["我拍了视频发给你们看看漏水", { kind: "repair", majorReasons: [] }],
  // A threat put as a question is still a threat: it carries a grievance word.
  ["你们再不修,是不是要我打12345?", { kind: "complaint", majorReasons: ["escalation"] }],
];

describe("classify: owner messages", () => {
  it.each([...CASES, ...INDIRECT])("%s", (text, expected) => {
    const got = classify(text);
    expect(got).toMatchObject(expected);
    expect(got.major).toBe(got.majorReasons.length > 0);
    expect(got.matched).toBe(true);
  });

  it("has at least 40 cases in Chinese and in English", () => {
    const cjk = CASES.filter(([t]) => /\p{Script=Han}/u.test(t)).length;
    expect(cjk).toBeGreaterThanOrEqual(20);
    expect(CASES.length - cjk).toBeGreaterThanOrEqual(20);
  });
});

describe("classify: negation", () => {
  it.each([
    ["电梯停了,没有人被困", "lift_trapped"],
    ["no one is trapped in the lift", "lift_trapped"],
    ["没有人受伤", "injury"],
    ["nobody got hurt", "injury"],
    ["没有煤气味", "gas"],
    ["There is no gas smell", "gas"],
    ["没有着火,只是有点焦味", "fire"],
  ] as const)("%s is not %s", (text, reason) => {
    expect(classify(text).majorReasons).not.toContain(reason);
  });

  it("keeps an emergency when the negation is in another clause", () => {
    expect(classify("电梯没人修,现在有人被困在里面").majorReasons).toContain("lift_trapped");
    expect(classify("The lift doesn't work and a kid is stuck inside").majorReasons).toContain("lift_trapped");
    expect(classify("I'm not sure, but there is smoke in the hallway").majorReasons).toContain("fire");
  });

  it("treats a question as possibly true, not as a negation", () => {
    expect(classify("电梯里有没有人被困?").majorReasons).toEqual(["lift_trapped"]);
  });

  it("does not read 止不住/doesn't stop as a negation of the flood", () => {
    expect(classify("止不住漏水,到处都是水").majorReasons).toEqual(["flooding"]);
    expect(classify("The tap doesn't stop leaking, water everywhere").majorReasons).toEqual(["flooding"]);
  });

  it("a negated complaint word does not make a complaint", () => {
    expect(classify("我不是投诉,就是咨询一下物业费")).toMatchObject({ kind: "inquiry", category: "fees" });
    expect(classify("I'm not complaining, just asking how to pay the fee")).toMatchObject({
      kind: "inquiry",
      category: "fees",
    });
    expect(classify("不是投诉")).toMatchObject({ matched: false });
  });
});

describe("classify: complaint overrides (seed 003 §6.5.3)", () => {
  it("an explicit complaint word wins over many repair words (repair-type complaint)", () => {
    // Repair words alone outscore 投诉 here; the override is what makes these complaints.
    expect(classify("我要投诉:厨房水管漏水,马桶堵了,灯也不亮")).toMatchObject({
      kind: "complaint",
      category: "engineering",
    });
    expect(
      classify("I want to file a complaint: the pipe is leaking, the toilet is blocked and the light is broken"),
    ).toMatchObject({ kind: "complaint", category: "engineering" });
  });

  it("a repair whose category is staff conduct is a service complaint", () => {
    expect(classify("维修师傅态度很差,修了半天")).toMatchObject({ kind: "complaint", category: "conduct" });
    expect(classify("The plumber was rude and the repair is still broken")).toMatchObject({
      kind: "complaint",
      category: "conduct",
    });
  });
});

describe("classify: praise and major", () => {
  it("a thank-you for a past emergency does not page anyone", () => {
    const got = classify("上次水管爆了,你们处理得很及时,感谢");
    expect(got.kind).toBe("praise");
    expect(got.major).toBe(false);
    expect(got.majorReasons).toEqual([]);
  });

  it("a polite 谢谢 does not turn an emergency into praise", () => {
    expect(classify("着火了!快来人,谢谢").kind).not.toBe("praise");
    expect(classify("着火了!快来人,谢谢").major).toBe(true);
  });
});

describe("classify: unmatched", () => {
  it.each(["你好", "在吗?", "😀", "", "   ", "hello there", "ok", "不是投诉"])("%j matches nothing", (text) => {
    expect(classify(text)).toEqual({
      kind: "inquiry",
      category: "other",
      major: false,
      majorReasons: [],
      matched: false,
    });
  });

  it("a topic alone still matches and takes the topic's usual kind", () => {
    expect(classify("电梯")).toMatchObject({ kind: "repair", category: "engineering", matched: true });
    expect(classify("物业费")).toMatchObject({ kind: "inquiry", category: "fees", matched: true });
    expect(classify("parking")).toMatchObject({ kind: "complaint", category: "parking", matched: true });
  });
});

describe("classify: word boundaries and stop terms", () => {
  it.each([
    ["fireworks tonight were lovely", "fire"],
    ["Las Vegas trip", "gas"],
    ["the fire extinguisher is expired", "fire"],
    ["燃气费怎么交", "gas"],
    ["房子120平米,物业费多少", "injury"],
    ["3-1201漏水", "injury"],
    ["13812345678", "escalation"],
    ["my phone is 13812345678", "escalation"],
  ] as const)("%s is not %s", (text, reason) => {
    expect(classify(text).majorReasons).not.toContain(reason);
  });

  it("an English stem matches its inflections", () => {
    expect(classify("the pipe leaked").kind).toBe("repair");
    expect(classify("the basement is flooded").majorReasons).toEqual(["flooding"]);
    expect(classify("the basement flooding is bad").majorReasons).toEqual(["flooding"]);
  });

  it("装修 is renovation, not a repair", () => {
    expect(classify("装修").kind).not.toBe("repair");
  });
});

describe("classify: normalisation", () => {
  it("reads full-width and upper-case text like ordinary text", () => {
    expect(classify("ＴＨＥ ＬＩＦＴ ＩＳ ＢＲＯＫＥＮ")).toMatchObject({ kind: "repair", category: "engineering" });
    expect(classify("THE PIPE BURST")).toMatchObject({ majorReasons: ["flooding"] });
    expect(classify("我要打１２３４５")).toMatchObject({ majorReasons: ["escalation"] });
    expect(classify("楼上漏水，我家天花板都泡了")).toEqual(classify("楼上漏水,我家天花板都泡了"));
  });

  it("treats a curly apostrophe like a straight one", () => {
    expect(classify("The heater doesn’t work").kind).toBe("repair");
  });
});

describe("classify: tie-breaks", () => {
  it("is independent of word order on a category tie, preferring the department that does the work", () => {
    // 电梯 (engineering 3) vs 垃圾 (cleaning 3): engineering comes first in CATEGORY_PRIORITY.
    expect(classify("电梯 垃圾").category).toBe("engineering");
    expect(classify("垃圾 电梯").category).toBe("engineering");
  });

  it("prefers complaint over repair on a kind tie", () => {
    // "no one" (complaint 2) vs "fix" (repair 2).
    expect(classify("no one came to fix it").kind).toBe("complaint");
  });

  it("prefers suggestion over praise on a kind tie", () => {
    // 感谢 (praise 3) + 希望 (suggestion 1) + 增加 (suggestion 2).
    expect(classify("感谢,希望增加").kind).toBe("suggestion");
  });

  it("is deterministic", () => {
    for (const [text] of CASES) expect(classify(text)).toEqual(classify(text));
  });

  it("orders major reasons as NAMED_MAJOR_REASONS does, whatever the text order", () => {
    expect(classify("我要报警,有人打架").majorReasons).toEqual(["security_incident", "escalation"]);
    expect(classify("有人打架,我要报警").majorReasons).toEqual(["security_incident", "escalation"]);
  });
});

describe("classify: length limit", () => {
  const filler = "啊".repeat(MAX_CLASSIFY_CHARS);

  it("reads only the first MAX_CLASSIFY_CHARS characters", () => {
    expect(classify(`${filler}着火了`).major).toBe(false);
    expect(classify(`着火了${filler}${filler}`).majorReasons).toEqual(["fire"]);
  });

  it("classifies a 5,000-character rant", () => {
    const rant = `电梯又坏了,第三次了,没人管!${"真的受不了了。".repeat(800)}`.slice(0, 5000);
    expect(rant.length).toBe(5000);
    expect(classify(rant)).toMatchObject({ kind: "complaint", category: "engineering", majorReasons: ["repeated"] });
  });

  it("does not split a surrogate pair at the cut", () => {
    const text = `${"a".repeat(MAX_CLASSIFY_CHARS - 1)}😀着火了`;
    expect(() => classify(text)).not.toThrow();
    expect(classify(text).major).toBe(false);
  });
});

describe("lexicon", () => {
  const allTerms = (): string[] => [
    ...TICKET_KINDS.flatMap((k) => Object.keys(KIND_TERMS[k])),
    ...CATEGORIES.flatMap((c) => Object.keys(CATEGORY_TERMS[c])),
    ...NAMED_MAJOR_REASONS.flatMap((r) => MAJOR_TERMS[r]),
    ...MAJOR_PAIRS.flatMap((p) => [...p.a, ...p.b]),
    ...KIND_STOP_TERMS,
    ...CATEGORY_STOP_TERMS,
    ...MAJOR_STOP_TERMS,
  ];

  it("holds every term in the classifier's normal form", () => {
    const bad = allTerms().filter((t) => t === "" || normalizeForClassify(t) !== t);
    expect(bad).toEqual([]);
  });

  it("uses * only as a final stem marker on Latin terms", () => {
    const bad = allTerms().filter((t) => t.slice(0, -1).includes("*") || (t.endsWith("*") && !/[a-z]\*$/.test(t)));
    expect(bad).toEqual([]);
  });

  it("has positive weights, and explicit weights only for words that name a kind", () => {
    for (const kind of TICKET_KINDS) {
      for (const [term, w] of Object.entries(KIND_TERMS[kind])) {
        expect(w, term).toBeGreaterThan(0);
        if (w >= EXPLICIT_WEIGHT) expect(w, term).toBeLessThanOrEqual(6);
      }
    }
    for (const c of CATEGORIES) for (const w of Object.values(CATEGORY_TERMS[c])) expect(w).toBeGreaterThan(0);
  });

  it("has priorities covering every kind and category exactly once", () => {
    expect([...KIND_PRIORITY].sort()).toEqual([...TICKET_KINDS].sort());
    expect([...CATEGORY_PRIORITY].sort()).toEqual([...CATEGORIES].sort());
  });

  it("gives every major reason at least one word", () => {
    for (const r of NAMED_MAJOR_REASONS) {
      const words = MAJOR_TERMS[r].length + MAJOR_PAIRS.filter((p) => p.reason === r).length;
      expect(words, r).toBeGreaterThan(0);
    }
  });
});

describe("lexicon file (lexicon.json, validated by parseLexicon)", () => {
  const doc = (): Record<string, any> => structuredClone(lexiconJson) as Record<string, any>;
  const errorsOf = (json: unknown): readonly string[] => {
    const r = parseLexicon(json);
    return r.ok ? [] : r.errors;
  };

  it("accepts the bundled file, and the parsed tables classify exactly as the default", () => {
    const r = parseLexicon(doc());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const [text] of CASES) expect(classify(text, r.lexicon)).toEqual(classify(text));
  });

  it("rejects an unknown kind, category or reason key, naming it", () => {
    const d = doc();
    d.kinds.complant = { 吐槽: 3 };
    d.categories.noise = { 噪音: 3 };
    d.majorTerms.earthquake = ["地震"];
    const errors = errorsOf(d);
    expect(errors).toContainEqual(expect.stringMatching(/^kinds: unknown key "complant"/));
    expect(errors).toContainEqual(expect.stringMatching(/^categories: unknown key "noise"/));
    expect(errors).toContainEqual(expect.stringMatching(/^majorTerms: unknown key "earthquake"/));
  });

  it("rejects a missing table and an unknown value, naming the entry", () => {
    const d = doc();
    delete d.kinds.praise;
    d.majorHints.fire.kind = "emergency";
    d.categoryDefaultKind.fees = "question";
    const errors = errorsOf(d);
    expect(errors).toContainEqual(expect.stringMatching(/^kinds\.praise: /));
    expect(errors).toContainEqual(expect.stringMatching(/^majorHints\.fire\.kind: .*complaint, repair/));
    expect(errors).toContainEqual(expect.stringMatching(/^categoryDefaultKind\.fees: /));
  });

  it("rejects terms not in normal form and misplaced stems, naming the term and the fix", () => {
    const d = doc();
    d.kinds.complaint["Terrible Service"] = 3;
    d.categories.cleaning["垃圾，很多"] = 2;
    d.majorTerms.fire.push("火*");
    d.kindStopTerms.push("re*pair");
    expect(errorsOf(d)).toEqual([
      'kinds.complaint."Terrible Service": is not in normal form (lower case, half-width, single spaces): write "terrible service"',
      'categories.cleaning."垃圾，很多": is not in normal form (lower case, half-width, single spaces): write "垃圾,很多"',
      'majorTerms.fire."火*": ends in "*" after a non-Latin character (only Latin words have stems)',
      'kindStopTerms."re*pair": has "*" before its end ("*" only marks a stem, at the end)',
    ]);
  });

  it("rejects a bad or match-everything regular expression, naming it", () => {
    const d = doc();
    d.repeatedPatterns.push("第(三次");
    d.repeatedPatterns.push("(?:again)?");
    const errors = errorsOf(d);
    const n = lexiconJson.repeatedPatterns.length;
    expect(errors).toContainEqual(expect.stringMatching(new RegExp(`^repeatedPatterns\\[${n}\\]: not a valid regular expression`)));
    expect(errors).toContainEqual(`repeatedPatterns[${n + 1}]: matches an empty text, so it would match every message`);
  });

  it("rejects a bad major pattern, naming its reason and place, and accepts a file without the table", () => {
    const d = doc();
    d.majorPatterns.collective.push("(?<!\\d\\d{2}户");
    d.majorPatterns.media = ["(?:曝光)*"];
    const errors = errorsOf(d);
    const n = lexiconJson.majorPatterns.collective.length;
    expect(errors).toContainEqual(expect.stringMatching(new RegExp(`^majorPatterns\\.collective\\[${n}\\]: not a valid regular expression`)));
    expect(errors).toContainEqual("majorPatterns.media[0]: matches an empty text, so it would match every message");
    const without = doc();
    delete without.majorPatterns;
    expect(parseLexicon(without).ok).toBe(true);
  });

  it("rejects a priority list that misses or repeats an entry, and a weight that is not positive", () => {
    const d = doc();
    d.kindPriority = ["complaint", "complaint", "repair", "inquiry", "suggestion", "help"];
    d.kinds.repair["坏了"] = 0;
    const errors = errorsOf(d);
    expect(errors).toContainEqual('kinds.repair."坏了": Too small: expected number to be >0');
    expect(errorsOf({ ...doc(), kindPriority: d.kindPriority })).toEqual([
      "kindPriority: missing praise (list every one exactly once)",
      "kindPriority: lists complaint more than once",
    ]);
  });

  it("a company's own lexicon changes what the classifier hears", () => {
    const d = doc();
    d.kinds.complaint["吐槽"] = 6;
    const r = parseLexicon(d);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(classify("吐槽一下", r.lexicon).kind).toBe("complaint");
    expect(classify("吐槽一下").matched).toBe(false);
  });
});

describe("evaluation corpus (eval/corpus.jsonl, npm run eval)", () => {
  const rows = parseCorpus(readFileSync(new URL("../../../eval/corpus.jsonl", import.meta.url), "utf8"));
  const split = (s: Split): CorpusRow[] => rows.filter((r) => r.split === s);
  const keyword = (text: string): Classification => classifyWithModel(text);

  it("covers every kind, category and major reason, in Chinese and English, with a held-out split", () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(rows.filter((r) => r.major).length).toBeGreaterThanOrEqual(60);
    expect(split("heldout").length).toBeGreaterThanOrEqual(100);
    for (const lang of ["zh", "en"] as const) expect(rows.filter((r) => r.lang === lang).length).toBeGreaterThanOrEqual(100);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(TICKET_KINDS));
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(CATEGORIES));
    expect(new Set(rows.flatMap((r) => r.reasons))).toEqual(new Set(NAMED_MAJOR_REASONS));
  });

  // The targets of issue 15: keyword-only major recall ≥ 98 %, kind accuracy ≥ 90 %.
  const TARGET = { majorRecall: 0.98, kindAccuracy: 0.9 };
  /**
   * What the classifier (keywords and the learned model) reaches on messages it was neither tuned
   * nor trained on (eval/README.md, "Round 8"): on the whole held-out split (640 messages, 281
   * major; three quarters of it the blind batches x, z and c of the sixth session) 98.2 % major
   * recall, 85.4 % precision, 90.0 % kind. A lexicon edit or a retrain must not lower it, nor buy
   * recall with false alarms; raise it when a fresh held-out batch shows better.
   */
  const HELD_OUT_FLOOR = { majorRecall: 0.98, majorPrecision: 0.85, kindAccuracy: 0.9 };

  it("meets the targets on the tune split, so an edit cannot undo what was tuned", () => {
    const s = score(split("tune"), keyword);
    expect(majorRecall(s)).toBeGreaterThanOrEqual(TARGET.majorRecall);
    expect(kindAccuracy(s)).toBeGreaterThanOrEqual(TARGET.kindAccuracy);
  });

  it("holds its measured floor on the held-out split", () => {
    const s = score(split("heldout"), keyword);
    expect(majorRecall(s)).toBeGreaterThanOrEqual(HELD_OUT_FLOOR.majorRecall);
    expect(majorPrecision(s)).toBeGreaterThanOrEqual(HELD_OUT_FLOOR.majorPrecision);
    expect(kindAccuracy(s)).toBeGreaterThanOrEqual(HELD_OUT_FLOOR.kindAccuracy);
  });

  // Issue 15's targets on messages the classifier was neither tuned nor trained on: met since the
  // blind training batches of the sixth session (an expected failure until then).
  it("meets the targets on the held-out split", () => {
    const s = score(split("heldout"), keyword);
    expect(majorRecall(s)).toBeGreaterThanOrEqual(TARGET.majorRecall);
    expect(kindAccuracy(s)).toBeGreaterThanOrEqual(TARGET.kindAccuracy);
  });
});

describe("npm run eval's report", () => {
  it("prints both splits, with a keyword+LLM column that says it is not configured", () => {
    const rows = parseCorpus(readFileSync(new URL("../../../eval/corpus.jsonl", import.meta.url), "utf8"));
    const text = report(rows, [
      { name: "keyword", classify: (t) => classifyWithModel(t) },
      { name: "keyword+LLM", classify: null },
    ]);
    expect(text).toMatch(/^tune split: \d+ messages, \d+ major$/m);
    expect(text).toMatch(/^held-out split \(never tuned on\): \d+ messages, \d+ major$/m);
    expect(text).toMatch(/^ {2}major recall +\d+\.\d% \(\d+\/\d+\) +not configured$/m);
    expect(text.match(/kind confusion, keyword /g)).toHaveLength(2);
    expect(text).not.toMatch(/kind confusion, keyword\+LLM/);
  });
});
