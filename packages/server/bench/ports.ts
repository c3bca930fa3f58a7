import { createServer } from "node:net"

/** A TCP port free on 127.0.0.1 right now, for a server the bench is about to start. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const address = s.address()
      s.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })
