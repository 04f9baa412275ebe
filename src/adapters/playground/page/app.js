// The playground's page: plain script, served by the bot itself, no build step, no CDN.
"use strict";

const params = new URLSearchParams(location.search);
const state = {
  locale: params.get("lang") === "en" ? "en" : params.get("lang") === "zh-CN" ? "zh-CN" : null,
  texts: {},
  data: null,
  owner: null,
  privateStaff: 9002,
  senders: { staff: 9002, director: 9004, department: 9003, owners_group: null },
  guideHidden: false,
};

/** The panes: which chat each shows and who may speak in it. */
const PANES = [
  { key: "owner", people: "owners", chat: () => String(state.owner) },
  { key: "staff", people: "staff", chat: () => "-1001" },
  { key: "director", people: "staff", chat: () => "-1002" },
  { key: "department", people: "staff", chat: () => "-1003" },
  { key: "owners_group", people: "owners", chat: () => "-1004" },
  { key: "private", people: "staff", chat: () => String(state.privateStaff) },
];

const $ = (sel, root = document) => root.querySelector(sel);
const t = (key) => state.texts[key] ?? key;

async function api(path, body, type = "application/json") {
  const res = await fetch(path, body === undefined ? {} : { method: "POST", headers: { "content-type": type }, body: type === "application/json" ? JSON.stringify(body) : body });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error || json.reason || res.statusText);
  return json;
}

function flash(text) {
  const busy = $("#busy");
  busy.textContent = text;
  busy.hidden = false;
  clearTimeout(flash.timer);
  flash.timer = setTimeout(() => (busy.hidden = true), 5000);
}

async function act(path, body, type) {
  try {
    return await api(path, body, type);
  } catch (e) {
    flash(t("playground.error") + e.message);
  }
}

function sender(pane) {
  if (pane.key === "owner") return state.owner;
  if (pane.key === "private") return state.privateStaff;
  return state.senders[pane.key];
}

function personName(id) {
  const d = state.data;
  const p = d.staff.find((s) => s.id === id) || d.owners.find((o) => o.id === id);
  return p ? p.name : String(id);
}

function applyTexts() {
  document.documentElement.lang = state.locale;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  document.title = t("playground.title");
}

function renderClock() {
  const d = state.data;
  const f = new Intl.DateTimeFormat(state.locale, { timeZone: d.timeZone, year: "numeric", month: "short", day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  $("#now").textContent = f.format(new Date(d.now));
}

function renderGuide() {
  const { guide } = state.data;
  const steps = ["file", "claim", "promise_reply", "resolve", "rate", "morning", "sign"];
  const list = $("#guide-steps");
  list.replaceChildren();
  let next = true;
  for (const step of steps) {
    const li = document.createElement("li");
    li.dataset.step = step;
    li.textContent = t("playground.guide." + step).replaceAll("{ticket}", guide.ticket || t("playground.guide.ticket"));
    const done = guide.done.includes(step);
    li.className = done ? "done" : next ? "next" : "";
    if (!done) next = false;
    list.append(li);
  }
  $("#guide-ticket").textContent = guide.ticket ? "· " + guide.ticket : "";
  $("#guide-done").hidden = guide.done.length !== steps.length;
  $("#guide").hidden = state.guideHidden;
}

function whoOptions(pane, select) {
  const d = state.data;
  const people = pane.people === "owners" ? d.owners.map((o) => ({ id: o.id, label: `${o.name} (${o.locale})` })) : d.staff.map((s) => ({ id: s.id, label: `${s.name} · ${t("playground.role." + s.role)}` }));
  select.replaceChildren(...people.map((p) => new Option(p.label, String(p.id))));
  select.value = String(sender(pane));
  select.onchange = () => {
    const id = Number(select.value);
    if (pane.key === "owner") state.owner = id;
    else if (pane.key === "private") state.privateStaff = id;
    else state.senders[pane.key] = id;
    renderPane(pane);
  };
}

function ownerForm(extra) {
  const name = document.createElement("input");
  name.placeholder = t("playground.owner.name");
  name.size = 10;
  const locale = document.createElement("select");
  locale.append(new Option("中文", "zh-CN"), new Option("English", "en"));
  locale.value = state.locale;
  const add = document.createElement("button");
  add.textContent = t("playground.owner.add");
  add.onclick = async () => {
    if (!name.value.trim()) return name.focus();
    const owner = await act("/api/owners", { name: name.value.trim(), locale: locale.value });
    if (owner) {
      state.owner = owner.id;
      await refresh();
    }
  };
  extra.append(name, locale, add);
}

function messageItem(pane, m) {
  const li = document.createElement("li");
  li.className = "msg" + (m.from && m.from.id === sender(pane) ? " mine" : "") + (m.from ? "" : " bot");
  li.dataset.id = m.id;
  const from = document.createElement("div");
  from.className = "from";
  from.textContent = m.from ? m.from.name : t("playground.bot");
  li.append(from);
  const quoted = m.replyTo && state.messages.get(m.replyTo);
  if (quoted) {
    const q = document.createElement("div");
    q.className = "quote";
    q.textContent = (quoted.from ? quoted.from.name : t("playground.bot")) + ": " + (quoted.text || "📎");
    li.append(q);
  }
  if (m.photo) {
    const img = document.createElement("img");
    img.src = m.photo;
    img.alt = "photo";
    li.append(img);
  }
  if (m.text) {
    const text = document.createElement("div");
    text.className = "text";
    text.textContent = m.text;
    li.append(text);
  }
  if (m.file) {
    const a = document.createElement("a");
    a.className = "file";
    a.href = m.file.url;
    a.textContent = "📎 " + m.file.name;
    a.download = m.file.name;
    li.append(a);
  }
  if (m.buttons.length) {
    const box = document.createElement("div");
    box.className = "buttons";
    for (const row of m.buttons) {
      const r = document.createElement("div");
      r.className = "row";
      for (const b of row) {
        const btn = document.createElement("button");
        btn.type = "button";
        btn.textContent = b.label;
        btn.onclick = () => press(pane, m, b);
        r.append(btn);
      }
      box.append(r);
    }
    li.append(box);
  }
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = (m.edited ? t("playground.edited") + " · " : "") + new Date(m.at).toLocaleTimeString(state.locale, { timeZone: state.data.timeZone, hour: "2-digit", minute: "2-digit" });
  if (m.from && m.from.id === sender(pane) && m.text && !m.photo) {
    const edit = document.createElement("button");
    edit.type = "button";
    edit.className = "edit";
    edit.textContent = "✎";
    edit.title = t("playground.edit");
    edit.onclick = async () => {
      const text = prompt(t("playground.edit.prompt"), m.text);
      if (text && text !== m.text) await act("/api/edit", { chatId: m.chatId, fromId: m.from.id, messageId: m.id, text });
    };
    meta.prepend(edit, " ");
  }
  li.append(meta);
  return li;
}

async function press(pane, m, b) {
  if (b.url) {
    // "Continue in private": as Telegram's deep link does, the owner who spoke in the group
    // opens their own chat with the bot, which sends /start with the link's parameter.
    const start = /^https:\/\/t\.me\/\w+\?start=(\w+)$/.exec(b.url);
    if (!start || pane.key !== "owners_group") return;
    state.owner = sender(pane);
    renderPane(PANES[0]);
    document.querySelector('[data-pane="owner"]').scrollIntoView({ behavior: "smooth" });
    await act("/api/send", { chatId: String(state.owner), fromId: state.owner, text: "/start " + start[1] });
    return;
  }
  await act("/api/press", { chatId: m.chatId, fromId: sender(pane), messageId: m.id, value: b.value });
}

function renderPane(pane) {
  const section = document.querySelector(`[data-pane="${pane.key}"]`);
  $(".title", section).textContent = t("playground.pane." + pane.key);
  whoOptions(pane, $(".who", section));
  const extra = $(".extra", section);
  extra.replaceChildren();
  if (pane.key === "owner") ownerForm(extra);
  const chatId = pane.chat();
  const list = $(".messages", section);
  list.replaceChildren(...[...state.messages.values()].filter((m) => m.chatId === chatId).map((m) => messageItem(pane, m)));
  list.scrollTop = list.scrollHeight;
  $(".text", section).placeholder = t(pane.key === "owner" || pane.key === "private" ? "playground.placeholder" : "playground.placeholder.group");
}

function buildPanes() {
  const main = $("#panes");
  for (const pane of PANES) {
    const section = $("#pane").content.firstElementChild.cloneNode(true);
    section.dataset.pane = pane.key;
    main.append(section);
    const input = $(".text", section);
    $(".composer", section).onsubmit = async (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = "";
      await act("/api/send", { chatId: pane.chat(), fromId: sender(pane), text });
    };
    $(".photo", section).onchange = async (e) => {
      const file = e.target.files[0];
      e.target.value = "";
      if (!file) return;
      const q = new URLSearchParams({ chatId: pane.chat(), fromId: String(sender(pane)), caption: input.value.trim() });
      input.value = "";
      await act("/api/photo?" + q, file, file.type || "image/jpeg");
    };
  }
}

function renderAll() {
  applyTexts();
  renderClock();
  renderGuide();
  for (const pane of PANES) renderPane(pane);
}

async function refresh() {
  state.data = await api("/api/state");
  state.messages = new Map(state.data.messages.map((m) => [m.id, m]));
  renderAll();
}

/** The page's language, and the staff side's: groups, cards and reports are rendered in it. */
async function setLocale(locale) {
  if (state.data && state.data.staffLocale !== locale) await act("/api/locale", { locale });
  state.locale = locale;
  state.texts = await api("/api/texts?locale=" + encodeURIComponent(locale));
  const first = state.data && state.data.owners.find((o) => o.locale === locale);
  if (first) state.owner = first.id;
  history.replaceState(null, "", "?lang=" + locale);
}

async function start() {
  state.data = await api("/api/state");
  await setLocale(state.locale || state.data.staffLocale);
  state.senders.owners_group = state.owner;
  buildPanes();
  await refresh();
  document.body.dataset.ready = "true";
  for (const b of document.querySelectorAll("[data-clock]")) {
    b.onclick = async () => {
      $("#busy").textContent = t("playground.clock.moving");
      $("#busy").hidden = false;
      await act("/api/clock", { step: b.dataset.clock });
      $("#busy").hidden = true;
    };
  }
  $("#lang").onclick = async () => {
    await setLocale(state.locale === "en" ? "zh-CN" : "en");
    state.senders.owners_group = state.owner;
    await refresh();
  };
  $("#guide-hide").onclick = $("#guide-toggle").onclick = () => {
    state.guideHidden = !state.guideHidden;
    renderGuide();
  };
  const events = new EventSource("/api/events");
  events.onmessage = async (e) => {
    const event = JSON.parse(e.data);
    if (event.type === "changed") return refresh();
    state.messages.set(event.message.id, event.message);
    for (const pane of PANES) if (pane.chat() === event.message.chatId) renderPane(pane);
  };
}

start();
