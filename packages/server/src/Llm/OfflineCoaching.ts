import { Option, Schema } from "effect"

/**
 * The offline provider's coaching: what a learner reads when no model is configured. It is
 * written from the same prompt a remote model gets (see `Coaching/Prompt.ts`): the results as
 * JSON after `Results (JSON):`, and the numbered passages after `Context:`. Each claim borrows a
 * sentence from a passage and cites it as `[n]`, so the offline text is as grounded and as
 * citable as a model's. Returns none when the prompt does not carry what it needs, and the
 * provider then answers as it does for any prompt.
 */

/** The `task` of a coaching request: what makes the offline provider write coaching. */
export const coachingTask = "coaching"

/** The line before the results' JSON in a coaching prompt. */
export const resultsMarker = "Results (JSON):"

const Scored = Schema.Struct({ force: Schema.String, name: Schema.String, score: Schema.Number })

const PromptResults = Schema.Struct({
  pillar: Schema.String,
  pillarName: Schema.String,
  mode: Schema.String,
  pillarScore: Schema.Number,
  pillarBand: Schema.Literal("low", "mid", "high"),
  strengths: Schema.Array(Scored),
  growthAreas: Schema.Array(Scored),
  effects: Schema.Array(Schema.Struct({
    connection: Schema.String,
    target: Schema.String,
    targetName: Schema.String,
    type: Schema.String,
    direction: Schema.String,
    push: Schema.Number
  }))
})

interface Passage {
  readonly n: number
  readonly id: string
  readonly title: string
  readonly sentences: ReadonlyArray<string>
}

const decodeResults = Schema.decodeUnknownOption(Schema.parseJson(PromptResults))

const passagesOf = (lines: ReadonlyArray<string>): ReadonlyArray<Passage> =>
  lines.flatMap((line) => {
    const match = /^\[(\d+)\] (.+?) \(([a-z0-9][a-z0-9.:-]*)\): (.+)$/.exec(line)
    if (match === null) return []
    const sentences = (match[4]!.match(/[^.!?]+[.!?]+(?=\s|$)/g) ?? []).map((s) => s.trim())
    return [{ n: Number(match[1]), title: match[2]!, id: match[3]!, sentences }]
  })

/** The first passage whose id matches, else the first that mentions `words`. */
const find = (passages: ReadonlyArray<Passage>, id: (p: Passage) => boolean, words: string) =>
  Option.orElse(
    Option.fromNullable(passages.find(id)),
    () =>
      Option.fromNullable(passages.find((p) =>
        words.toLowerCase().split(/\W+/).some((w) => w.length > 4 && p.sentences.join(" ").toLowerCase().includes(w))
      ))
  )

/** A sentence of the passage (the `index`-th, or the last), with its citation. */
const cite = (passage: Option.Option<Passage>, index: number): string =>
  Option.match(passage, {
    onNone: () => "",
    onSome: (p) => {
      const sentence = p.sentences[Math.min(index, p.sentences.length - 1)]
      return sentence === undefined ? "" : ` ${sentence.replace(/[.!?]+$/, "")} [${p.n}].`
    }
  })

const bandWords = {
  low: "in the low band: there is real room to grow here, and small, regular steps will show",
  mid: "in the middle band: a workable base, with clear room to strengthen it",
  high: "in the high band: a real asset for your group, worth protecting"
} as const

export const offlineCoaching = (prompt: string): Option.Option<string> => {
  const lines = prompt.split("\n")
  const at = lines.findIndex((line) => line.trim() === resultsMarker)
  const contextAt = lines.findIndex((line) => /^\s*context\s*:\s*$/i.test(line))
  if (at < 0 || contextAt < 0) return Option.none()
  return Option.map(decodeResults(lines[at + 1] ?? ""), (results) => {
    const passages = passagesOf(lines.slice(contextAt + 1))
    const score = Math.round(results.pillarScore)
    const pillarPassage = find(passages, (p) => p.id.startsWith(`pillar:${results.pillar}:`), results.pillarName)
    const paragraphs: Array<string> = [
      `Your ${results.pillarName} score is ${score} out of 100, ${bandWords[results.pillarBand]}.${cite(pillarPassage, 1)}`
    ]
    const strength = results.strengths[0]
    if (strength !== undefined) {
      const passage = find(passages, (p) => p.id === `force:${strength.force}`, strength.name)
      const sustain = find(passages, (p) => p.id === `guidance:${results.pillar}:sustain`, "sustain")
      paragraphs.push(
        `Your strongest force is ${strength.name}.${cite(passage, 0)} Keep it deliberate rather than taking it for granted:${
          cite(sustain, 1) || " name it when you see it working, so the group notices it too."
        }`
      )
    }
    const growth = results.growthAreas[0]
    if (growth !== undefined && growth.force !== strength?.force) {
      const passage = find(passages, (p) => p.id === `force:${growth.force}`, growth.name)
      const raise = find(passages, (p) => p.id === `guidance:${results.pillar}:raise`, "raise")
      paragraphs.push(
        `The force with the most room to grow is ${growth.name}.${cite(passage, 0)} One practice to try this week:${
          cite(raise, 1) || " pick one meeting and make this force the explicit focus of it."
        }`
      )
    }
    const effect = results.effects[0]
    if (effect !== undefined) {
      const passage = find(passages, (p) => p.id === `connection:${effect.connection.toLowerCase()}`, effect.target)
      const push = effect.direction === "up"
        ? "is likely to lift"
        : effect.direction === "down"
        ? "is likely to weigh on"
        : effect.direction === "depends"
        ? "can push either way on"
        : "is holding steady against"
      paragraphs.push(`Pillars do not move alone: where you stand now ${push} ${effect.targetName}.${cite(passage, 2)}`)
    }
    paragraphs.push(
      "Take the assessment again in a few weeks, after trying the practice above, and compare the force scores: the change is the most honest feedback you will get."
    )
    return paragraphs.join("\n\n")
  })
}
