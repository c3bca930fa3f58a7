import { describe, expect, it } from "vitest"
import {
  afterRefresh,
  answeredCount,
  clampIndex,
  effectiveAnswers,
  resumeIndex,
  scale,
  valueOfKey
} from "../../src/features/assess/quiz.js"
import { saveOutcomeOf } from "../../src/features/assess/saveFailure.js"
import { AnswersIncomplete, AssessmentCompleted } from "@compilar/domain"
import { describeError } from "../../src/lib/errors.js"

const ids = ["q01", "q02", "q03", "q04", "q05"]

describe("quiz position", () => {
  it("resumes at the first unanswered question, wherever the gap is", () => {
    expect(resumeIndex(ids, {})).toBe(0)
    expect(resumeIndex(ids, { q01: 3, q02: 4 })).toBe(2)
    // Answered out of order (another tab, or an earlier answer changed): the gap wins.
    expect(resumeIndex(ids, { q01: 3, q03: 1, q04: 5 })).toBe(1)
  })

  it("resumes at the review step when everything is answered", () => {
    expect(resumeIndex(ids, { q01: 1, q02: 2, q03: 3, q04: 4, q05: 5 })).toBe(ids.length)
  })

  it("counts answers to this quiz's questions only", () => {
    expect(answeredCount(ids, { q01: 1, q09: 2 })).toBe(1)
  })

  it("never moves past the first open question, nor below zero", () => {
    const answers = { q01: 1, q02: 2 }
    expect(clampIndex(4, ids, answers)).toBe(2)
    expect(clampIndex(1, ids, answers)).toBe(1)
    expect(clampIndex(-1, ids, answers)).toBe(0)
  })

  it("after a refresh, moves on only when the open question shown was answered elsewhere", () => {
    // Looking at q03 (open); another tab answered q03 and q04: go to q05.
    expect(afterRefresh(2, ids, { q01: 1, q02: 2 }, { q01: 1, q02: 2, q03: 3, q04: 4 })).toBe(4)
    // Looking at q01 (answered), re-reading it: another tab changed q01's value: stay.
    expect(afterRefresh(0, ids, { q01: 1, q02: 2 }, { q01: 5, q02: 2 })).toBe(0)
    // Looking at q03 (open); another tab answered q05 only: stay on q03.
    expect(afterRefresh(2, ids, { q01: 1, q02: 2 }, { q01: 1, q02: 2, q05: 4 })).toBe(2)
    // The last open question answered elsewhere: the review step.
    expect(afterRefresh(4, ids, { q01: 1, q02: 1, q03: 1, q04: 1 }, { q01: 1, q02: 1, q03: 1, q04: 1, q05: 2 })).toBe(5)
  })

  it("shows waiting answers over the server's (they are newer)", () => {
    expect(
      effectiveAnswers({ q01: 1, q02: 2 }, [
        { questionId: "q02", value: 5 },
        { questionId: "q03", value: 4 }
      ])
    ).toEqual({ q01: 1, q02: 5, q03: 4 })
  })
})

describe("quiz input", () => {
  it("has five labelled points from strongly disagree to strongly agree", () => {
    expect(scale.map((p) => p.value)).toEqual([1, 2, 3, 4, 5])
    expect(scale[0]!.label).toBe("Strongly disagree")
    expect(scale[4]!.label).toBe("Strongly agree")
  })

  it("answers keys 1 to 5 only", () => {
    expect(["1", "2", "3", "4", "5"].map(valueOfKey)).toEqual([1, 2, 3, 4, 5])
    expect(["0", "6", "a", "Enter", "11", " ", ""].map(valueOfKey)).toEqual(Array(7).fill(undefined))
  })
})

describe("save failures", () => {
  it("retries what may pass and drops what never will", () => {
    for (const tag of ["RequestError", "ResponseError", "RateLimited", "InternalError", "ServiceUnavailable", "Unauthorized"]) {
      expect(saveOutcomeOf({ _tag: tag })._tag, tag).toBe("retry")
    }
    for (const tag of ["NotFound", "UnknownQuestion", "AssessmentCompleted", "ValidationFailed", "IdempotencyKeyReused"]) {
      expect(saveOutcomeOf({ _tag: tag })._tag, tag).toBe("rejected")
    }
    expect(saveOutcomeOf(new Error("?"))._tag).toBe("retry")
  })
})

describe("journey errors in words", () => {
  it("titles the assessment errors and keeps the server's message", () => {
    expect(describeError(new AssessmentCompleted({ message: "This assessment is completed." }))).toMatchObject({
      title: "Already completed",
      message: "This assessment is completed.",
      retryable: false
    })
    expect(describeError(new AnswersIncomplete({ message: "Answer q03 first." })).title).toBe("Some answers are missing")
  })
})
