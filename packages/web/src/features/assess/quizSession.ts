import { type Accessor, createMemo, createSignal, onCleanup } from "solid-js"
import { Either } from "effect"
import { callApi } from "../../lib/runtime.js"
import { toaster, toastError } from "../../lib/toast.js"
import { randomUuid } from "../../lib/uuid.js"
import { sendAnswer } from "./assessment.data.js"
import { type AnswerQueue, createAnswerQueue, type QueueSnapshot } from "./answerQueue.js"
import { answerStoreKey, browserAnswerStore } from "./answerStore.js"
import { type Answers, effectiveAnswers } from "./quiz.js"
import { isCompletedElsewhere } from "./saveFailure.js"

/**
 * One quiz being answered in this tab: the answers the server has, the ones waiting in the
 * queue, and everything that keeps them current —
 *
 * - the answer queue (saves each answer, retries, persists what waits in localStorage);
 * - `online` retries at once; `offline` is shown;
 * - when the tab is focused or shown again, the server's answers are read afresh (another
 *   tab or device may have answered meanwhile) and waiting answers are retried;
 * - tabs of this browser tell each other about every saved answer (BroadcastChannel), and see
 *   each other's waiting answers (the `storage` event), so two tabs on one quiz agree at once.
 *
 * The last write wins per question: the server keeps the last answer it receives, and each tab
 * shows its own waiting answers over the server's.
 */

export interface QuizSession {
  /** What to show as each question's answer: the server's, overridden by answers still waiting. */
  readonly answers: Accessor<Answers>
  readonly queue: Accessor<QueueSnapshot>
  readonly online: Accessor<boolean>
  readonly give: (questionId: string, value: number) => void
  /** Reads the server's answers again; resolves when they are in. */
  readonly refresh: () => Promise<void>
  /** Stops keeping the answers of a completed quiz. */
  readonly finish: () => void
}

export interface QuizSessionOptions {
  readonly assessmentId: string
  readonly userId: string
  readonly initialAnswers: Answers
  /** The assessment was completed elsewhere (another tab or device): nothing more to answer. */
  readonly onCompletedElsewhere: () => void
}

interface SavedMessage {
  readonly _tag: "AnswerSaved"
  readonly assessmentId: string
  readonly questionId: string
  readonly value: number
}

const isSavedMessage = (u: unknown): u is SavedMessage =>
  typeof u === "object" && u !== null && "_tag" in u && u._tag === "AnswerSaved" &&
  "assessmentId" in u && typeof u.assessmentId === "string" &&
  "questionId" in u && typeof u.questionId === "string" &&
  "value" in u && typeof u.value === "number"

const channelName = "compilar-quiz"

export const createQuizSession = (options: QuizSessionOptions): QuizSession => {
  const { assessmentId } = options
  const storeKey = answerStoreKey(options.userId, assessmentId)
  const store = browserAnswerStore(storeKey)
  const [server, setServer] = createSignal<Answers>(options.initialAnswers)
  const [online, setOnline] = createSignal(typeof navigator === "undefined" ? true : navigator.onLine)
  /** Saved by this tab since the last refresh began: newer than what that refresh may bring back. */
  let savedSinceRefresh = new Map<string, number>()
  /** Failures since the queue was last empty: worth a "saved after all" toast when it drains. */
  let hadFailures = false
  let ended = false

  const channel = typeof BroadcastChannel === "undefined" ? undefined : new BroadcastChannel(channelName)

  const queue: AnswerQueue = createAnswerQueue({
    store,
    newKey: randomUuid,
    send: (answer) => sendAnswer(assessmentId, answer),
    onSaved: (answer) => {
      savedSinceRefresh.set(answer.questionId, answer.value)
      setServer((current) => ({ ...current, [answer.questionId]: answer.value }))
      channel?.postMessage({ _tag: "AnswerSaved", assessmentId, questionId: answer.questionId, value: answer.value } satisfies SavedMessage)
    },
    onRejected: (answer, error) => {
      if (isCompletedElsewhere(error)) {
        end()
        options.onCompletedElsewhere()
        return
      }
      toastError(error, `answer-rejected-${answer.questionId}`)
    },
    onRetry: (_answer, _error, delayMs) => {
      hadFailures = true
      const offline = typeof navigator !== "undefined" && !navigator.onLine
      toaster.show("error", {
        title: offline ? "You're offline" : "Answer not saved yet",
        message: offline
          ? "Your answers are kept on this device and saved as soon as you're back online."
          : `We'll try again in ${Math.max(1, Math.round(delayMs / 1000))} s. Your answers are kept on this device meanwhile.`,
        key: "answer-save"
      })
    }
  })

  const [snapshot, setSnapshot] = createSignal<QueueSnapshot>(queue.snapshot())
  const unsubscribe = queue.subscribe((next) => {
    setSnapshot(next)
    if (hadFailures && next.pending.length === 0) {
      hadFailures = false
      toaster.show("success", { title: "All answers saved", message: "Everything you answered is on the server now.", key: "answer-save" })
    }
  })

  const answers = createMemo(() => effectiveAnswers(server(), snapshot().pending))

  const refresh = async () => {
    if (ended) return
    const since = new Map<string, number>()
    savedSinceRefresh = since
    const result = await callApi((api) => api.assessments.get({ path: { id: assessmentId } }))
    if (ended || Either.isLeft(result)) return
    if (result.right.status === "completed") {
      end()
      options.onCompletedElsewhere()
      return
    }
    setServer({ ...result.right.answers, ...Object.fromEntries(since) })
  }

  const onOnline = () => {
    setOnline(true)
    queue.flush()
  }
  const onOffline = () => setOnline(false)
  const onShown = () => {
    if (document.visibilityState !== "visible") return
    queue.flush()
    void refresh()
  }
  const onStorage = (event: StorageEvent) => {
    if (event.key === storeKey) queue.refresh()
  }
  if (channel !== undefined) {
    channel.onmessage = (event: MessageEvent<unknown>) => {
      const message = event.data
      if (!isSavedMessage(message) || message.assessmentId !== assessmentId || ended) return
      setServer((current) => ({ ...current, [message.questionId]: message.value }))
    }
  }
  window.addEventListener("online", onOnline)
  window.addEventListener("offline", onOffline)
  window.addEventListener("focus", onShown)
  document.addEventListener("visibilitychange", onShown)
  window.addEventListener("storage", onStorage)

  function end() {
    ended = true
  }

  onCleanup(() => {
    ended = true
    unsubscribe()
    queue.dispose()
    channel?.close()
    window.removeEventListener("online", onOnline)
    window.removeEventListener("offline", onOffline)
    window.removeEventListener("focus", onShown)
    document.removeEventListener("visibilitychange", onShown)
    window.removeEventListener("storage", onStorage)
  })

  return {
    answers,
    queue: snapshot,
    online,
    give: (questionId, value) => {
      if (!ended) queue.give(questionId, value)
    },
    refresh,
    finish: () => {
      end()
      queue.dispose()
      store.write([])
    }
  }
}
