import {
  type ChunkId,
  type ForceId,
  forceById,
  type Pillar,
  pillarById,
  type PillarId,
  type QuestionId,
  quizOutputName,
  quizPlan,
  quizProblems,
  type QuizSlot
} from "@compilar/domain"
import { Effect, JSONSchema, Option, Schema } from "effect"
import { KnowledgeSearch } from "../Knowledge/Search.js"
import { Llm } from "../Llm.js"
import type { ChatRequest } from "../Llm/Provider.js"
import type { StoredQuiz } from "./Repo.js"

/**
 * Writes a pillar's quiz with the LLM: the plan (which force and keying each of the ten
 * statements has) is ours, the statements are the model's, grounded in passages retrieved from
 * the knowledge base. The answer is decoded with a Schema that fixes each slot's force and keying
 * and checks the quiz's invariants, so a malformed answer is an `LlmInvalidOutput` that the
 * gateway retries and then fails over to the next provider.
 */

export const maxStatementLength = 300

/** Passages retrieved to ground the statements. */
const groundingPassages = 8

const Statement = Schema.Trim.pipe(
  Schema.nonEmptyString({ message: () => "an empty statement" }),
  Schema.maxLength(maxStatementLength, { message: () => `a statement over ${maxStatementLength} characters` })
)

const slotShape = (slot: QuizSlot, statement: Schema.Schema<string>) =>
  Schema.Struct({
    force: Schema.Literal(slot.force),
    reverse: Schema.Literal(slot.reverse),
    statement: statement.annotations({
      description: slot.reverse
        ? "One statement that a learner in a group where this force is WEAK would agree with."
        : "One statement that a learner in a group where this force is STRONG would agree with."
    })
  })

const draftShape = (plan: ReadonlyArray<QuizSlot>, statement: Schema.Schema<string>) =>
  Schema.Struct(Object.fromEntries(plan.map((slot) => [slot.id, slotShape(slot, statement)])))

type Draft = Readonly<Record<string, { readonly force: string; readonly reverse: boolean; readonly statement: string }>>

const toQuestions = (plan: ReadonlyArray<QuizSlot>, draft: Draft) =>
  plan.map((slot) => ({
    id: slot.id,
    text: draft[slot.id]?.statement ?? "",
    force: slot.force,
    reverse: slot.reverse
  }))

/**
 * The schema the model is asked for (JSON Schema of the loose shape: providers' strict modes
 * refuse length keywords) and the one its answer is decoded with (lengths and invariants).
 */
export const quizOutput = (pillar: PillarId) => {
  const plan = quizPlan(pillar)
  const strict = draftShape(plan, Statement).pipe(
    Schema.filter((draft) => {
      const problems = quizProblems(pillar, toQuestions(plan, draft))
      return problems.length === 0 ? true : problems.join("; ")
    })
  )
  const { $schema: _, ...shape } = JSONSchema.make(draftShape(plan, Schema.String))
  // What a provider's structured-output option takes: a JSON Schema object of whatever shape.
  const jsonSchema: Readonly<Record<string, unknown>> = shape
  return {
    plan,
    schema: strict,
    jsonSchema,
    questions: (draft: Draft) => toQuestions(plan, draft)
  }
}

const system = [
  "You write questionnaire items for PILAR, a framework for how people coordinate in groups.",
  "Each item is one statement that a learner rates from 1 (strongly disagree) to 5 (strongly agree) about the group they work in, or about their own position in it.",
  "Write plain, concrete English: one idea per statement, at most 25 words, no double negatives, no jargon, no numbering, and never the name of the force or the pillar.",
  "A normally keyed statement describes the force being strong; a reverse-keyed statement describes it being weak, so that agreeing with it lowers the score.",
  "Ground every statement in the passages given as context, and make every statement different from the others.",
  "Keep each slot's force and reverse values exactly as given."
].join(" ")

const forceOf = (id: ForceId) => Option.getOrThrow(forceById(id))

const prompt = (pillar: Pillar, plan: ReadonlyArray<QuizSlot>, passages: ReadonlyArray<{ id: string; text: string }>) =>
  [
    `Write the ${plan.length} statements of a quiz on ${pillar.title} (${pillar.mode} mode): ${pillar.measures}`,
    "",
    "Slots:",
    ...plan.map((slot) => {
      const force = forceOf(slot.force)
      return `- ${slot.id}: force ${force.id} (${force.name}: ${force.description}) — ${
        slot.reverse ? `reverse-keyed, describe it weak (${force.lowSignal})` : `describe it strong (${force.highSignal})`
      }`
    }),
    "",
    "Context:",
    ...passages.map((p) => `[${p.id}] ${p.text}`)
  ].join("\n")

export interface WrittenQuiz extends StoredQuiz {
  readonly provider: string
  readonly model: string
}

export class QuizWriter extends Effect.Service<QuizWriter>()("Assessments/QuizWriter", {
  effect: Effect.gen(function*() {
    const llm = yield* Llm
    const knowledge = yield* KnowledgeSearch

    /** One LLM call (with the gateway's retries and fallbacks), grounded in the pillar's passages. */
    const write = Effect.fn("QuizWriter.write")(function*(pillarId: PillarId) {
      const pillar = Option.getOrThrow(pillarById(pillarId))
      const output = quizOutput(pillarId)
      const found = yield* knowledge.search({
        query: `${pillar.title}: ${pillar.measures} ${output.plan.map((s) => forceOf(s.force).name).join(", ")}`,
        pillar: pillarId,
        limit: groundingPassages
      }).pipe(Effect.orDie)
      const passages = found.results.map((hit) => ({ id: hit.id, text: hit.text }))
      const request: ChatRequest = {
        system,
        messages: [{ role: "user", content: prompt(pillar, output.plan, passages) }],
        maxTokens: 2_000,
        temperature: 0.4,
        schema: { name: quizOutputName, jsonSchema: output.jsonSchema }
      }
      const answer = yield* llm.chat(request, output.schema)
      yield* Effect.annotateCurrentSpan({ provider: answer.provider, model: answer.model, sources: passages.length })
      const quiz: WrittenQuiz = {
        questions: output.questions(answer.value).map((q) => ({ ...q, id: q.id as QuestionId })),
        sources: passages.map((p) => p.id as ChunkId),
        provider: answer.provider,
        model: answer.model
      }
      return quiz
    })

    return { write } as const
  })
}) {}
