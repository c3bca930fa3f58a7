import { type Force, forceById, quizOutputName } from "@compilar/domain"
import { Option } from "effect"
import { isRecord, type StructuredOutput } from "./Provider.js"

/**
 * The offline provider's quiz writer: when a request asks for the quiz structured output
 * (`quizOutputName`), it writes each slot's statement from the PILAR dataset instead of from
 * the prompt's context, so a learner without any key still gets a quiz that reads well. The
 * slots (force and keying) come from the request's JSON schema, where each is fixed by `enum`.
 *
 * A normally keyed statement is the force's strong signal, a reverse-keyed one its weak
 * signal, both written in the dataset. Hierarchical pillars that rate the learner's own
 * position speak of "the person" there; those are rewritten in the first person here. A force
 * probed twice the same way gets a second statement of its own (written below for the forces
 * the quiz blueprint probes three times), or, failing that, its description.
 */

interface Slot {
  readonly id: string
  readonly force: string
  readonly reverse: boolean
}

/** The dataset's signals in the first person, where they speak of "the person" (the learner). */
const ownPosition: Readonly<Record<string, { readonly high: string; readonly low: string }>> = {
  "status.formal-authority": {
    high: "My role clearly entitles me to make binding decisions for others.",
    low: "My role gives me little say beyond my own tasks."
  },
  "status.command-capacity": {
    high: "When I give instructions, they are followed promptly and without renegotiation.",
    low: "My instructions are questioned, delayed or quietly ignored."
  },
  "status.built-in-advantage": {
    high: "I hear news first, and my proposals are taken seriously by default.",
    low: "I have to work hard for access and information that others receive automatically."
  },
  "status.control-of-resources": {
    high: "Others must come to me to obtain the people, money or tools they need.",
    low: "I control few resources and depend on others to allocate them."
  },
  "ownprosp.personal-advancement": {
    high: "I see a clear route to my next role and the steps needed to reach it.",
    low: "I see no realistic route forward while staying in this group."
  },
  "ownprosp.credit-attribution": {
    high: "My contributions are named accurately in reviews, reports and announcements.",
    low: "Credit for my work regularly ends up with someone else."
  },
  "ownprosp.self-serving-goals": {
    high: "I choose tasks and projects mainly for what they will do for my own career.",
    low: "I take on work with little regard for how it affects my own standing."
  },
  "ownprosp.incentive-alignment": {
    high: "The pay, recognition and opportunities on offer here are exactly what motivates me.",
    low: "The rewards on offer hold little appeal for me, so extra effort feels pointless."
  },
  "incresp.perceived-competence": {
    high: "Colleagues consult me on difficult questions in my field.",
    low: "I sense that colleagues doubt my ability and check my work."
  },
  "incresp.reputation-management": {
    high: "I deliberately share my successes and manage first impressions with key stakeholders.",
    low: "I pay little attention to how my work is perceived or reported."
  },
  "incresp.external-locus-of-control": {
    high: "My reputation rests chiefly on what influential colleagues say about me.",
    low: "My standing follows from my own work, whatever others say."
  },
  "incresp.visibility-of-delivery": {
    high: "My results are regularly seen and discussed by decision-makers.",
    low: "My results go unnoticed beyond my immediate colleagues."
  }
}

/** A second, normally keyed statement for the forces the blueprint probes three times (each pillar's first two). */
const secondStatement: Readonly<Record<string, string>> = {
  "grpprosp.collective-goal-clarity": "I could state our group's main goal in one sentence, and my colleagues would say the same.",
  "grpprosp.team-success-belief": "I am confident that this group will reach the goals it has set itself.",
  "indrecip.unconditional-helping": "I help colleagues here even when they will never be in a position to return the favour.",
  "indrecip.resource-fluidity": "When another part of the group needs our time or tools, we share them without fuss.",
  "popularity.warmth-acceptance": "I feel welcome in this group just as I am.",
  "popularity.informal-influence": "I can change the group's thinking through conversation alone, without needing a title.",
  "divsexp.psychological-safety": "I could admit a mistake to this group without worrying that it would be held against me.",
  "divsexp.challenge-welcome": "When I question a plan here, people treat it as a useful contribution.",
  "outresp.peer-competence": "I trust my colleagues' expertise enough not to double-check their work.",
  "outresp.trust-in-intentions": "I assume my colleagues mean well, even when their decisions surprise me.",
  "ownprosp.personal-advancement": "Staying in this group is the best way for me to advance my career.",
  "ownprosp.credit-attribution": "When our work succeeds, people know which part of it was mine.",
  "dirrecip.conditional-help": "When I help a colleague, I expect them to return the favour.",
  "dirrecip.favor-trading": "I keep track of who owes me a favour and whom I owe one.",
  "status.formal-authority": "Decisions about how others in the group work are mine to make.",
  "status.command-capacity": "People in the group act on my requests without needing to be persuaded.",
  "normexp.predictability-preferred": "I would rather we kept to the established way of doing things than tried something new.",
  "normexp.rewards-of-conformity": "Here, fitting in with how things are usually done is what gets people ahead.",
  "incresp.perceived-competence": "I believe the people I work with see me as highly capable.",
  "incresp.reputation-management": "I put real effort into how others in the group see my work."
}

const enumValue = (schema: unknown): unknown =>
  isRecord(schema) && Array.isArray(schema["enum"]) && schema["enum"].length === 1 ? schema["enum"][0] : undefined

/** The slots of a quiz request, in order; None when the schema is not the quiz's. */
export const quizSlots = (schema: StructuredOutput | undefined): Option.Option<ReadonlyArray<Slot>> => {
  if (schema === undefined || schema.name !== quizOutputName) return Option.none()
  const properties = schema.jsonSchema["properties"]
  if (!isRecord(properties)) return Option.none()
  const slots: Array<Slot> = []
  for (const [id, slot] of Object.entries(properties)) {
    const fields = isRecord(slot) ? slot["properties"] : undefined
    if (!isRecord(fields)) return Option.none()
    const force = enumValue(fields["force"])
    const reverse = enumValue(fields["reverse"])
    if (typeof force !== "string" || typeof reverse !== "boolean") return Option.none()
    slots.push({ id, force, reverse })
  }
  return Option.some(slots)
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)

const statementFor = (force: Force, reverse: boolean, occurrence: number): string => {
  const own = ownPosition[force.id]
  if (occurrence === 0) return reverse ? own?.low ?? force.lowSignal : own?.high ?? force.highSignal
  if (!reverse && occurrence === 1 && secondStatement[force.id] !== undefined) return secondStatement[force.id]!
  return reverse
    ? `My group lacks this: ${lowerFirst(force.description)}`
    : `This describes my group well: ${lowerFirst(force.description)}`
}

/**
 * The quiz's structured value: `{ q01: { force, reverse, statement }, … }`. Deterministic: the
 * same slots always give the same statements. Undefined for a force the dataset does not know.
 */
export const writeQuiz = (slots: ReadonlyArray<Slot>): Record<string, { force: string; reverse: boolean; statement: string }> | undefined => {
  const seen = new Map<string, number>()
  const out: Record<string, { force: string; reverse: boolean; statement: string }> = {}
  for (const slot of slots) {
    const force = forceById(slot.force)
    if (Option.isNone(force)) return undefined
    const key = `${slot.force}:${slot.reverse}`
    const occurrence = seen.get(key) ?? 0
    seen.set(key, occurrence + 1)
    out[slot.id] = { force: slot.force, reverse: slot.reverse, statement: statementFor(force.value, slot.reverse, occurrence) }
  }
  return out
}
