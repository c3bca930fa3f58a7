import { Either, Schema } from "effect"

/**
 * Where answers wait until the server has them: the browser's localStorage, one entry per
 * learner and assessment, so an answer given offline survives a reload, a crash or a closed
 * tab, and another tab of the same browser sees it too. Only answers live there (question id,
 * value, idempotency key): nothing that would let anyone act as the learner.
 */

export const QueuedAnswer = Schema.Struct({
  questionId: Schema.String,
  value: Schema.Number,
  /** The `Idempotency-Key` of this answer: one per answer given, reused by every retry of it. */
  key: Schema.String,
  /** When it was given (ms since the epoch): answers are sent oldest first. */
  givenAt: Schema.Number
})
export type QueuedAnswer = typeof QueuedAnswer.Type

export interface AnswerStore {
  /** Every answer waiting to be saved, as stored now (another tab may have changed it). */
  readonly read: () => ReadonlyArray<QueuedAnswer>
  readonly write: (answers: ReadonlyArray<QueuedAnswer>) => void
}

const decode = Schema.decodeUnknownEither(Schema.parseJson(Schema.Array(QueuedAnswer)))

/** The storage key of one learner's answers to one assessment. */
export const answerStoreKey = (userId: string, assessmentId: string): string =>
  `compilar.answers.${userId}.${assessmentId}`

export const memoryAnswerStore = (initial: ReadonlyArray<QueuedAnswer> = []): AnswerStore => {
  let answers = initial
  return { read: () => answers, write: (next) => (answers = next) }
}

/**
 * A store in `storage` (localStorage by default) under `key`. Unreadable content counts as
 * empty; when storage is blocked or full the answers are kept in memory instead, so the quiz
 * still works for this tab.
 */
export const browserAnswerStore = (key: string, storage?: Storage): AnswerStore => {
  const memory = memoryAnswerStore()
  /** Set once storage failed: from then on this tab keeps its answers in memory. */
  let inMemory = false
  const target = (): Storage | undefined => {
    try {
      return storage ?? globalThis.localStorage
    } catch {
      return undefined
    }
  }
  return {
    read: () => {
      const store = target()
      if (inMemory || store === undefined) return memory.read()
      try {
        const raw = store.getItem(key)
        return raw === null ? [] : Either.getOrElse(decode(raw), () => [])
      } catch {
        inMemory = true
        return memory.read()
      }
    },
    write: (answers) => {
      memory.write(answers)
      const store = target()
      if (inMemory || store === undefined) return
      try {
        if (answers.length === 0) store.removeItem(key)
        else store.setItem(key, JSON.stringify(answers))
      } catch {
        // Blocked or full: the memory copy serves this tab from now on.
        inMemory = true
      }
    }
  }
}
