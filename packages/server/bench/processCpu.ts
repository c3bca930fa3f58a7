/**
 * CPU time a benchmarked process has used, from Linux's /proc: the figure that stays meaningful
 * on a busy machine, where wall-clock latencies and throughput move with whatever else runs.
 */
import { readFileSync } from "node:fs"

/** utime + stime of one process, in ms (/proc counts in 1/100 s on Linux); 0 when it is gone. */
export const processCpuMs = (pid: number | string): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return 0
  }
}

/** The same for a process and its children (a server under tsx runs in tsx's child), in ms. */
export const treeCpuMs = (pid: number | undefined): number => {
  if (pid === undefined) return Number.NaN
  let children: Array<string> = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean)
  } catch {
    // not Linux, or already gone
  }
  return processCpuMs(pid) + children.reduce((sum, child) => sum + treeCpuMs(Number(child)), 0)
}
