import { post, vu } from "./state.mjs"

/**
 * `k6/metrics`: Counter, Gauge, Rate and Trend. As in k6, they are declared in the init context
 * and their samples appear in the summary and can have thresholds.
 *
 * @typedef {import("../Protocol.js").MetricType} MetricType
 */

class Metric {
  /**
   * @param {MetricType} type
   * @param {string} name
   * @param {boolean} isTime
   */
  constructor(type, name, isTime) {
    if (vu.initialized) throw new Error(`k6/metrics: declare ${name} in the init context (at the top of the script)`)
    if (!/^[A-Za-z0-9_]{1,128}$/.test(name)) throw new Error(`k6/metrics: invalid metric name ${JSON.stringify(name)}`)
    this.name = name
    post({ kind: "define", name, type, isTime })
  }

  /**
   * @param {number | boolean} value
   * @param {Record<string, string>} [tags]
   */
  add(value, tags = {}) {
    post({ kind: "metric", name: this.name, value: Number(value), tags })
    return true
  }
}

export class Counter extends Metric {
  /** @param {string} name */
  constructor(name) {
    super("counter", name, false)
  }
}

export class Gauge extends Metric {
  /** @param {string} name @param {boolean} [isTime] */
  constructor(name, isTime = false) {
    super("gauge", name, isTime)
  }
}

export class Rate extends Metric {
  /** @param {string} name */
  constructor(name) {
    super("rate", name, false)
  }
}

export class Trend extends Metric {
  /** @param {string} name @param {boolean} [isTime] */
  constructor(name, isTime = false) {
    super("trend", name, isTime)
  }
}
