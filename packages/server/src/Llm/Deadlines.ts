import { Effect, Exit } from "effect"
import { type LlmError, LlmTimeout, type LlmTimeoutPhase } from "./Errors.js"
import type { ProviderName, Timeouts } from "./Provider.js"

/**
 * The `LlmTimeout` of a phase, with a message an operator can read ("openai: no first token
 * within 20000 ms").
 */
export const phaseTimeout = (provider: ProviderName, phase: LlmTimeoutPhase, timeouts: Timeouts): LlmTimeout =>
  new LlmTimeout({ provider, phase, message: `${provider}: no ${phaseText[phase]} within ${limitOf(phase, timeouts)} ms` })

const limitOf = (phase: LlmTimeoutPhase, timeouts: Timeouts): number => {
  switch (phase) {
    case "headers":
      return timeouts.headersMs
    case "first-token":
      return timeouts.firstTokenMs
    case "idle":
      return timeouts.idleMs
    case "total":
      return timeouts.totalMs
  }
}

const phaseText: Record<LlmTimeoutPhase, string> = {
  headers: "response headers",
  "first-token": "first token",
  idle: "chunk",
  total: "complete answer"
}

/** A non-streamed SDK call (OpenAI's and Anthropic's `APIPromise`): `asResponse()` resolves at the headers. */
export interface SdkCall<A> extends PromiseLike<A> {
  readonly asResponse: () => Promise<Response>
}

/**
 * One non-streamed call under our deadlines, both on Effect's `Clock`: the headers within
 * `headersMs`, the parsed answer within `totalMs` of the start. A failure, a deadline or an
 * interruption aborts the request.
 */
export const withDeadlines = <A>(
  provider: ProviderName,
  timeouts: Timeouts,
  send: (signal: AbortSignal) => SdkCall<A>,
  onError: (cause: unknown) => LlmError
): Effect.Effect<A, LlmError> =>
  Effect.suspend(() => {
    const controller = new AbortController()
    let call: SdkCall<A>
    try {
      call = send(controller.signal)
    } catch (cause) {
      // An SDK may refuse a request before sending it (Anthropic: a max_tokens too large for a
      // non-streamed call): a typed failure, not a defect.
      return Effect.fail(onError(cause))
    }
    return Effect.tryPromise({ try: () => call.asResponse(), catch: onError }).pipe(
      Effect.timeoutFail({ duration: timeouts.headersMs, onTimeout: () => phaseTimeout(provider, "headers", timeouts) }),
      Effect.zipRight(Effect.tryPromise({ try: () => call, catch: onError })),
      Effect.timeoutFail({ duration: timeouts.totalMs, onTimeout: () => phaseTimeout(provider, "total", timeouts) }),
      Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : Effect.sync(() => controller.abort())))
    )
  })
