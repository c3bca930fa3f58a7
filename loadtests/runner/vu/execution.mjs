import { vu } from "./state.mjs"
import { strict } from "./strict.mjs"

/**
 * `k6/execution`, the part the runner knows: scenario name, executor, start time and
 * iterationInTest; the VU's id and iterationInScenario. Reading any other property throws.
 */

const scenario = () => {
  if (vu.scenario === null) throw new Error("k6/execution: exec.scenario is only defined inside a scenario's iterations")
  return vu.scenario
}

export default strict("k6/execution: exec", {
  scenario: strict("k6/execution: exec.scenario", {
    get name() {
      return scenario().name
    },
    get executor() {
      return scenario().executor
    },
    get startTime() {
      return scenario().startTime
    },
    get iterationInTest() {
      scenario()
      return vu.iterationInTest
    }
  }),
  vu: strict("k6/execution: exec.vu", {
    get idInTest() {
      return vu.id
    },
    get iterationInScenario() {
      return vu.iteration
    }
  })
})
