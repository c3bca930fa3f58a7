import { FiberRef } from "effect"

/**
 * The id of the HTTP request the current fiber is serving. The server's request-id
 * middleware sets it; error envelopes and log lines read it. Outside a request it is "".
 */
export const CurrentRequestId: FiberRef.FiberRef<string> = FiberRef.unsafeMake("")
