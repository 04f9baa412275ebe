/**
 * The house's rules, read from the code's own imports (docs/architecture.md draws them):
 * - src/core is pure domain: no SDK, no database client, no environment, no wall clock;
 * - inside src/core the rooms (its folders, and its loose files) stand on floors: no import runs
 *   from a room back up to one that imports it, and no two files import each other, however
 *   indirectly;
 * - the outer rooms keep their order too: core imports nothing outside it but the locale files,
 *   jobs import only core; adapters never import infra, but for the outbox sender's Transport port
 *   that they implement.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = "src";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** Every import and re-export specifier of a file, with where a relative one points. */
function importsOf(file: string): { spec: string; target: string | null }[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gms), ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map(
    (m) => m[1]!,
  );
  return specs.map((spec) => ({
    spec,
    target: spec.startsWith(".") ? normalize(join(dirname(file), spec.replace(/\.js$/, ".ts"))) : null,
  }));
}

/** Strongly connected components with more than one member (Tarjan): the cycles of a graph. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.has(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

const CORE = join(SRC, "core");
const coreFiles = sources(CORE);
/** A room of the core: its folder, or the file itself for a loose file. */
const roomOf = (file: string): string => {
  const parts = relative(CORE, file).split(sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, "");
};

describe("the house", () => {
  it("has a core that imports no SDK, database client or other room of src", () => {
    const bad = coreFiles.flatMap((file) =>
      importsOf(file)
        .filter(({ spec, target }) => {
          if (target === null) return spec !== "zod";
          return !target.startsWith(CORE + sep) && !target.startsWith("locales" + sep);
        })
        .map(({ spec }) => `${file} imports ${spec}`),
    );
    expect(bad).toEqual([]);
  });

  it("has a core that reads neither the environment nor the wall clock", () => {
    const bad = coreFiles.flatMap((file) => {
      const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      const found = [/process\.env/, /\bDate\.now\(/, /new Date\(\s*\)/, /performance\.now\(/, /Math\.random\(/].filter((re) => re.test(code));
      return found.map((re) => `${file}: ${re.source}`);
    });
    expect(bad).toEqual([]);
  });

  it("has no two core files that import each other, however indirectly", () => {
    const graph = new Map(coreFiles.map((f) => [f, new Set(importsOf(f).flatMap(({ target }) => (target?.startsWith(CORE) ? [target] : [])))]));
    expect(cycles(graph)).toEqual([]);
  });

  it("has no two files anywhere in src that import each other, however indirectly", () => {
    const files = sources(SRC);
    const graph = new Map(files.map((f) => [f, new Set(importsOf(f).flatMap(({ target }) => (target?.startsWith(SRC + sep) ? [target] : [])))]));
    expect(cycles(graph)).toEqual([]);
  });

  it("stands the core's rooms on floors: no import runs back up", () => {
    const graph = new Map<string, Set<string>>();
    const why = new Map<string, string>();
    for (const file of coreFiles) {
      const from = roomOf(file);
      if (!graph.has(from)) graph.set(from, new Set());
      for (const { target } of importsOf(file)) {
        if (!target?.startsWith(CORE + sep)) continue;
        const to = roomOf(target);
        if (to === from) continue;
        graph.get(from)!.add(to);
        why.set(`${from}>${to}`, `${file} -> ${target}`);
      }
    }
    const loops = cycles(graph).map((rooms) =>
      rooms.flatMap((a) => rooms.filter((b) => graph.get(a)!.has(b)).map((b) => why.get(`${a}>${b}`)!)).join("; "),
    );
    expect(loops).toEqual([]);
  });

  it("keeps the outer rooms in order: jobs on core, adapters and infra apart, main the only wiring", () => {
    const outer = sources(SRC).filter((f) => !f.startsWith(CORE + sep));
    const bad = outer.flatMap((file) => {
      const top = relative(SRC, file).split(sep)[0]!;
      return importsOf(file).flatMap(({ spec, target }) => {
        if (!target || !target.startsWith(SRC + sep)) return [];
        const to = relative(SRC, target).split(sep)[0]!;
        const allowed: Record<string, readonly string[]> = {
          jobs: ["core", "jobs"],
          infra: ["core", "infra", "i18n", "generated"],
          i18n: ["core", "i18n"],
          // An adapter reaches the core's ports and the other adapters' pure modules; never infra.
          adapters: ["core", "adapters", "i18n"],
          admin: ["core", "admin", "infra", "i18n", "config.ts"],
        };
        const ok = allowed[top];
        // The outbox sender's Transport is the one driven-side port an adapter implements.
        if (top === "adapters" && target === join(SRC, "infra", "outbox", "transport.ts")) return [];
        return ok && !ok.includes(to) ? [`${file} imports ${spec}`] : [];
      });
    });
    expect(bad).toEqual([]);
  });

  it("keeps the playground apart: only its wiring reaches it, and it reaches no platform's runtime", () => {
    const PLAYGROUND = join(SRC, "adapters", "playground");
    const wiring = (f: string) => f === join(SRC, "main.ts") || /^src[\\/]playground[\w-]*\.ts$/.test(f);
    const files = sources(SRC);
    // Nothing a deployment runs goes through the playground but main.ts's one call.
    const reached = files
      .filter((f) => !f.startsWith(PLAYGROUND + sep) && !wiring(f))
      .flatMap((f) => importsOf(f).filter(({ target }) => target?.startsWith(PLAYGROUND + sep)).map(({ spec }) => `${f} imports ${spec}`));
    // Its Telegram is the Telegram adapter's pure handling, never a runtime holding a token.
    const platforms = files
      .filter((f) => f.startsWith(PLAYGROUND + sep))
      .flatMap((f) =>
        importsOf(f)
          .filter(({ spec, target }) =>
            target
              ? target.startsWith(join(SRC, "adapters") + sep) && !target.startsWith(PLAYGROUND + sep) && !/telegram[\\/](handle|render|route|staff|updates|group-owner|runtime)\.ts$/.test(target)
              : /^(telegraf|@slack\/|@grammyjs\/)/.test(spec) || spec === "grammy",
          )
          .map(({ spec }) => `${f} imports ${spec}`),
      );
    expect([...reached, ...platforms]).toEqual([]);
  });
});
