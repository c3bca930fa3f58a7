/**
 * What a benchmarked process tree uses, from Linux's /proc: CPU time, the figure that stays
 * meaningful on a busy machine (wall-clock latencies and throughput move with whatever else
 * runs), and resident memory. A server under tsx runs in tsx's child: both count.
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

/** Resident memory of one process, in MB; 0 when it is gone. */
const processRssMb = (pid: number): number => {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return match ? Number(match[1]) / 1024 : 0
  } catch {
    return 0
  }
}

/** A process and everything under it. */
const tree = (pid: number): Array<number> => {
  let children: Array<number> = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    // not Linux, or already gone
  }
  return [pid, ...children.flatMap(tree)]
}

/** CPU ms used so far by a process and everything under it; NaN without a pid. */
export const treeCpuMs = (pid: number | undefined): number =>
  pid === undefined ? Number.NaN : tree(pid).reduce((sum, p) => sum + processCpuMs(p), 0)

/** Resident MB of a process and everything under it now; NaN without a pid. */
export const treeRssMb = (pid: number | undefined): number =>
  pid === undefined ? Number.NaN : tree(pid).reduce((sum, p) => sum + processRssMb(p), 0)
