// Types for scripts/build.mjs, for the benches that compile as start compiles.
import type { BuildOptions } from "esbuild";

export declare const outdir: string;
export declare const bundleOptions: BuildOptions;
export declare function build(entries: string[]): Promise<void>;
export declare function isStale(entry: string): boolean;
export declare function buildIfStale(entry: string): Promise<void>;
