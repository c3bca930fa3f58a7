import {
  bandOf,
  connectionById,
  createProblems,
  forcesOf,
  keyedValue,
  pillars,
  predictedEffect,
  type QuestionId,
  quizPlan,
  quizProblems,
  scoreOfMean,
  scoreQuiz
} from "@compilar/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option } from "effect"

const answersFor = (pillar: Parameters<typeof quizPlan>[0], value: (slot: { force: string; reverse: boolean }, index: number) => number) =>
  Object.fromEntries(quizPlan(pillar).map((slot, index) => [slot.id, value(slot, index)]))

describe("scoring (PILAR.md)", () => {
  it.effect("the scale: mean 1 → 0, 3 → 50, 5 → 100, linear; reverse-keyed answers flipped 1↔5, 2↔4, 3 stays", () =>
    Effect.sync(() => {
      expect([1, 2, 3, 4, 5].map(scoreOfMean)).toEqual([0, 25, 50, 75, 100])
      expect([1, 2, 3, 4, 5].map((v) => keyedValue(v, true))).toEqual([5, 4, 3, 2, 1])
      expect([1, 2, 3, 4, 5].map((v) => keyedValue(v, false))).toEqual([1, 2, 3, 4, 5])
    }))

  it.effect("bands: low below 40, mid from 40 to 70 inclusive, high above 70", () =>
    Effect.sync(() => {
      expect([0, 39.9, 40, 55, 70, 70.1, 100].map(bandOf)).toEqual(["low", "low", "mid", "mid", "mid", "high", "high"])
    }))

  it.effect("honest answers at the top of every force (agree with normal, disagree with reverse-keyed) score 100 everywhere", () =>
    Effect.sync(() => {
      const plan = quizPlan("divsexp")
      const scored = scoreQuiz("divsexp", plan, answersFor("divsexp", (slot) => (slot.reverse ? 1 : 5)))
      expect(Either.isRight(scored)).toBe(true)
      if (Either.isLeft(scored)) return
      expect(scored.right.pillarScore).toBe(100)
      expect(scored.right.pillarBand).toBe("high")
      expect(scored.right.forceScores.map((f) => f.score)).toEqual([100, 100, 100, 100])
      expect(scored.right.strengths.map((s) => s.force)).toEqual(forcesOf("divsexp").map((f) => f.id))
      expect(scored.right.growthAreas).toEqual([])
    }))

  it.effect("agreeing with everything is not a top score: each force's reverse-keyed items pull it to the middle", () =>
    Effect.sync(() => {
      const scored = Either.getOrThrow(scoreQuiz("status", quizPlan("status"), answersFor("status", () => 5)))
      // Forces probed 3 times (2 normal + 1 reverse): mean (5+5+1)/3 → 66.7; twice (1 + 1): mean 3 → 50.
      expect(scored.forceScores.map((f) => f.score)).toEqual([66.7, 66.7, 50, 50])
      expect(scored.pillarScore).toBe(58.3)
      expect(scored.pillarBand).toBe("mid")
    }))

  it.effect("the pillar score is the mean of its force scores, each force weighing the same", () =>
    Effect.sync(() => {
      const forces = forcesOf("grpprosp").map((f) => f.id)
      // Force A (three items) all at the top; the others all at the bottom.
      const scored = Either.getOrThrow(
        scoreQuiz("grpprosp", quizPlan("grpprosp"), answersFor("grpprosp", (slot) => {
          const top = slot.force === forces[0]
          return top === !slot.reverse ? 5 : 1
        }))
      )
      expect(scored.forceScores).toEqual([
        { force: forces[0], score: 100 },
        { force: forces[1], score: 0 },
        { force: forces[2], score: 0 },
        { force: forces[3], score: 0 }
      ])
      expect(scored.pillarScore).toBe(25)
      expect(scored.strengths).toEqual([{ force: forces[0], score: 100, band: "high" }])
      expect(scored.growthAreas.map((g) => g.force)).toEqual([forces[1], forces[2], forces[3]])
    }))

  it.effect("no high or low force: the best and the weakest stand in; an even profile has neither", () =>
    Effect.sync(() => {
      const forces = forcesOf("outresp").map((f) => f.id)
      // Keyed values per force, in the order its statements come: A 2,3,3 → 41.7; B 4,4,3 → 66.7; C, D 3,3 → 50.
      const keyed: Record<string, ReadonlyArray<number>> = { [forces[0]!]: [2, 3, 3], [forces[1]!]: [4, 4, 3] }
      const seen = new Map<string, number>()
      const mid = Either.getOrThrow(
        scoreQuiz("outresp", quizPlan("outresp"), answersFor("outresp", (slot) => {
          const n = seen.get(slot.force) ?? 0
          seen.set(slot.force, n + 1)
          return keyedValue(keyed[slot.force]?.[n] ?? 3, slot.reverse)
        }))
      )
      expect(mid.forceScores.map((f) => f.score)).toEqual([41.7, 66.7, 50, 50])
      expect(mid.strengths).toEqual([{ force: forces[1], score: 66.7, band: "mid" }])
      expect(mid.growthAreas).toEqual([{ force: forces[0], score: 41.7, band: "mid" }])
      const even = Either.getOrThrow(scoreQuiz("outresp", quizPlan("outresp"), answersFor("outresp", () => 3)))
      expect(even.pillarScore).toBe(50)
      expect(even.strengths).toEqual([])
      expect(even.growthAreas).toEqual([])
      expect(even.effects.every((e) => e.push === 0)).toBe(true)
    }))

  it.effect("missing answers: Left with the unanswered ids in quiz order", () =>
    Effect.sync(() => {
      const plan = quizPlan("popularity")
      const answers = answersFor("popularity", () => 4)
      delete answers["q03"]
      delete answers["q10"]
      expect(scoreQuiz("popularity", plan, answers)).toEqual(Either.left(["q03", "q10"]))
    }))

  it.effect("effects: strength × (score − 50) / 50, with the source for Reinforce, against it for Inverse, none for Discretionary", () =>
    Effect.sync(() => {
      const ecp04 = Option.getOrThrow(connectionById("ECP-04")) // grpprosp → outresp, R 0.85
      const ecp02 = Option.getOrThrow(connectionById("ECP-02")) // grpprosp → popularity, I 0.78
      const ecp01 = Option.getOrThrow(connectionById("ECP-01")) // grpprosp → indrecip, D
      expect(predictedEffect(ecp04, 100)).toMatchObject({ direction: "up", push: 0.85 })
      expect(predictedEffect(ecp04, 0)).toMatchObject({ direction: "down", push: -0.85 })
      expect(predictedEffect(ecp02, 100)).toMatchObject({ direction: "down", push: -0.78 })
      expect(predictedEffect(ecp02, 25)).toMatchObject({ direction: "up", push: 0.39 })
      expect(predictedEffect(ecp04, 50)).toMatchObject({ direction: "steady", push: 0 })
      expect(predictedEffect(ecp01, 90)).toMatchObject({ direction: "depends", push: 0 })

      const scored = Either.getOrThrow(scoreQuiz("grpprosp", quizPlan("grpprosp"), answersFor("grpprosp", (s) => (s.reverse ? 1 : 5))))
      // The four connections out of the pillar, strongest push first, the discretionary one last.
      expect(scored.effects.map((e) => [e.connection.id, e.direction, e.push])).toEqual([
        ["ECP-04", "up", 0.85],
        ["ECP-02", "down", -0.78],
        ["ECP-03", "down", -0.7],
        ["ECP-01", "depends", 0]
      ])
    }))

  it.effect("every pillar's plan is a valid quiz: ten, every force both ways, four reverse-keyed, no force twice in a row", () =>
    Effect.sync(() => {
      for (const pillar of pillars) {
        const plan = quizPlan(pillar.id)
        expect(quizProblems(pillar.id, plan.map((slot) => ({ ...slot, text: "A statement." })))).toEqual([])
        expect(plan.map((s) => s.id)).toEqual(["q01", "q02", "q03", "q04", "q05", "q06", "q07", "q08", "q09", "q10"])
        expect(plan.filter((s) => s.reverse)).toHaveLength(4)
        for (const force of forcesOf(pillar.id)) {
          const keyings = new Set(plan.filter((s) => s.force === force.id).map((s) => s.reverse))
          expect(keyings).toEqual(new Set([true, false]))
        }
        plan.slice(1).forEach((slot, i) => expect(slot.force).not.toBe(plan[i]!.force))
      }
    }))

  it.effect("quiz invariants catch a short quiz, duplicate ids, a foreign or missing force, too few reverse-keyed, an empty statement", () =>
    Effect.sync(() => {
      const valid = quizPlan("divsexp").map((slot) => ({ ...slot, text: "A statement." }))
      expect(quizProblems("divsexp", valid.slice(0, 9))).toContain("expected 10 questions, got 9")
      expect(quizProblems("divsexp", [...valid.slice(0, 9), { ...valid[9]!, id: "q01" as QuestionId }])).toContain("question ids are not unique")
      const foreign = valid.map((q, i) => (i === 3 || i === 7 ? { ...q, force: forcesOf("status")[0]!.id } : q))
      expect(quizProblems("divsexp", foreign).join("; ")).toMatch(/forces not of divsexp: status\.formal-authority; forces not covered: divsexp\.constructive-dissent/)
      expect(quizProblems("divsexp", valid.map((q) => ({ ...q, reverse: q.id === "q02" }))))
        .toContain("expected at least 2 reverse-keyed questions, got 1")
      expect(quizProblems("divsexp", valid.map((q, i) => (i === 0 ? { ...q, text: "  " } : q)))).toContain("a statement is empty")
    }))

  it.effect("starting requests: both fields unless drawing, the pillar in its mode, no pillar when drawing", () =>
    Effect.sync(() => {
      const paths = (request: Parameters<typeof createProblems>[0]) => createProblems(request).map((d) => d.path)
      expect(paths({ pillar: "divsexp", mode: "egalitarian" })).toEqual([])
      expect(paths({ draw: true })).toEqual([])
      expect(paths({ draw: true, mode: "hierarchical" })).toEqual([])
      expect(paths({ draw: true, pillar: "status" })).toEqual(["pillar"])
      expect(paths({})).toEqual(["pillar", "mode"])
      expect(paths({ draw: false, pillar: "status" })).toEqual(["mode"])
      expect(paths({ pillar: "status", mode: "egalitarian" })).toEqual(["mode"])
    }))
})
