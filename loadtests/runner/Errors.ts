/**
 * The runner's failures, each with the exit code k6 uses for the same case, so that CI scripts
 * written for k6 read the runner's result the same way.
 */

/** The script's options (or a call's parameters) ask for something invalid or unsupported. */
export class ConfigError extends Error {
  override readonly name = "ConfigError"
  readonly exitCode = 104
}

/** The init context, setup or teardown threw. */
export class ScriptError extends Error {
  override readonly name = "ScriptError"
  readonly exitCode = 107
}

/** setup or teardown ran past its timeout. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError"
  constructor(message: string, readonly exitCode: 100 | 101) {
    super(message)
  }
}

/** The test ran and at least one threshold failed. */
export const thresholdsFailedExitCode = 99
