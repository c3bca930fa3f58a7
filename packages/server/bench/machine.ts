/**
 * How fast the machine is at this moment, on two yardsticks no code of ours touches: an integer
 * loop (the core's own speed) and random reads from arrays of growing size (the caches and the
 * memory behind them). The bench prints them before and after its parts.
 *
 * On this project's 2-core virtual machine memory-bound work varies far more than plain
 * computation: on 2026-11-28 random reads from 8 MiB took 125–200 ns in one run (about main
 * memory's speed: the 32 MiB L3 was of little help) and 17–74 ns in another a few hours later,
 * while the integer loop went from 1.37 to 1.09 ns; embedded PGlite, whose PostgreSQL runs in
 * WebAssembly over a large heap, spent two to three times the CPU per search in the slow run.
 * Figures from different runs compare only where these lines do.
 */
import { cpus, loadavg } from "node:os"
import { median } from "./stats.js"

/** A dependent chain of 32-bit multiply-adds: the core's speed, nothing else. */
const spin = (iterations: number, seed: number) => {
  let x = seed
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 31) + i) | 0
  return x
}

/** Nanoseconds per iteration of `spin` (median of rounds, once it is optimized). */
const loopNs = () => {
  let sink = 0
  for (let warm = 0; warm < 200; warm++) sink ^= spin(100_000, warm)
  const rounds: Array<number> = []
  for (let round = 0; round < 9; round++) {
    const started = process.hrtime.bigint()
    sink ^= spin(10_000_000, round)
    rounds.push(Number(process.hrtime.bigint() - started) / 10_000_000)
  }
  if (sink === 0.5) console.log(sink) // keeps the loop from being optimized away
  return median(rounds)
}

/** Nanoseconds per random read from an array of `bytes`: one random cycle through every slot. */
const randomReadNs = (bytes: number) => {
  // Sattolo's shuffle of the identity: a random permutation that is a single cycle, so the
  // chase below visits every slot before it comes back.
  const next = new Int32Array(bytes / 4)
  for (let i = 0; i < next.length; i++) next[i] = i
  for (let i = next.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * i)
    const swapped = next[i]!
    next[i] = next[j]!
    next[j] = swapped
  }
  const reads = 4_000_000
  let at = 0
  for (let i = 0; i < reads / 4; i++) at = next[at]! // warm-up
  const started = process.hrtime.bigint()
  for (let i = 0; i < reads; i++) at = next[at]!
  const ns = Number(process.hrtime.bigint() - started) / reads
  if (at === -1) console.log(at) // keeps the chase from being optimized away
  return ns
}

export const describeMachine = (when: string) => {
  const sizes = [[128 * 1024, "128 KiB"], [1024 * 1024, "1 MiB"], [8 * 1024 * 1024, "8 MiB"], [64 * 1024 * 1024, "64 MiB"]] as const
  const reads = sizes.map(([bytes, label]) => `${randomReadNs(bytes).toFixed(1)} ns (${label})`).join(", ")
  const load = loadavg().map((value) => value.toFixed(2)).join(" ")
  return `Machine ${when}: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown"}), load average ${load}; ` +
    `integer loop ${loopNs().toFixed(2)} ns an iteration; random reads ${reads}`
}
