#!/usr/bin/env node
// Sums a V8 .cpuprofile (node --cpu-prof) by where the time went, for the Telegram bench's
// BENCH_NODE_FLAGS: self time by function and by package or source file, over the whole profile
// or a window of it. `--timeline` prints the busy milliseconds of each second, to find the window.
//   node bench/profile-summary.mjs <file.cpuprofile> [--from=s] [--to=s] [--top=n] [--timeline] [--inclusive] [--callers=name]
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const opt = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const file = args.find((a) => !a.startsWith("--"));
if (!file) throw new Error("usage: profile-summary.mjs <file.cpuprofile> [--from=s] [--to=s] [--top=n] [--timeline]");
const profile = JSON.parse(readFileSync(file, "utf8"));
const from = opt("from", 0) * 1e6;
const to = opt("to", Infinity) * 1e6;
const top = opt("top", 40);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const idle = new Set(["(idle)", "(program)", "(garbage collector)"]);
/** Where a frame's code lives: the package for node_modules, else the file; node's own internals as one. */
function place(frame) {
  const url = frame.url || "";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith("node:")) return "node:internal";
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  return url.replace(/^file:\/\/.*?\/(dist|src)\//, "$1/");
}

const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n);
const label = (frame) => `${frame.functionName || "(anonymous)"}  ${place(frame)}:${frame.lineNumber + 1}`;
/** With --callers=<function name>: the stacks above that function wherever it is on a sample's stack, six frames deep. */
const callersOf = args.find((a) => a.startsWith("--callers="))?.split("=")[1];
const callers = new Map();
/** Time under each function anywhere on the stack (counted once per sample). */
const inclusive = new Map();

const selfByFunction = new Map();
const selfByPlace = new Map();
const seconds = new Map();
let t = 0;
let total = 0;
let busy = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  const next = profile.timeDeltas[i + 1] ?? 0;
  if (t < from || t > to) continue;
  const node = byId.get(profile.samples[i]);
  const frame = node.callFrame;
  const ms = next / 1000;
  total += ms;
  const name = frame.functionName || "(anonymous)";
  if (name === "(idle)") continue;
  if (!idle.has(name) || name === "(garbage collector)" || name === "(program)") busy += ms;
  seconds.set(Math.floor(t / 1e6), (seconds.get(Math.floor(t / 1e6)) ?? 0) + ms);
  const key = label(frame);
  const seen = new Set();
  for (let n = node; n; n = parentOf.get(n.id)) {
    const k = label(n.callFrame);
    if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
    seen.add(k);
  }
  let under = node;
  while (callersOf && under && under.callFrame.functionName !== callersOf) under = parentOf.get(under.id);
  if (under) {
    const chain = [];
    for (let n = parentOf.get(under.id); n && chain.length < 6; n = parentOf.get(n.id)) chain.push(label(n.callFrame));
    const k = chain.join("  <  ");
    callers.set(k, (callers.get(k) ?? 0) + ms);
  }
  selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + ms);
  selfByPlace.set(place(frame), (selfByPlace.get(place(frame)) ?? 0) + ms);
}

const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${v.toFixed(1).padStart(9)} ms ${((100 * v) / busy).toFixed(1).padStart(5)}%  ${k}`);
  }
};
console.log(`${file}: window ${(total / 1000).toFixed(1)} s, busy ${busy.toFixed(0)} ms`);
if (args.includes("--timeline")) {
  for (const [s, ms] of [...seconds].sort((a, b) => a[0] - b[0])) console.log(`${String(s).padStart(5)} s ${ms.toFixed(0).padStart(5)} ms`);
}
show("self time by package or file", selfByPlace);
show("self time by function", selfByFunction);
if (args.includes("--inclusive")) show("time under each function (inclusive)", inclusive);
if (callersOf) show(`callers of ${callersOf}`, callers);
