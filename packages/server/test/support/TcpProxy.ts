import { Effect } from "effect"
import { createServer, connect, type Server, type Socket } from "node:net"

/**
 * A TCP proxy in front of a real server, to take a dependency down for real and bring it
 * back: `down` stops listening and destroys every proxied connection (both sides), `up`
 * listens again on the same port. Scoped: closed with its scope.
 */
export interface TcpProxy {
  readonly port: number
  readonly down: Effect.Effect<void>
  readonly up: Effect.Effect<void, Error>
}

export const tcpProxy = (target: { readonly host: string; readonly port: number }) =>
  Effect.gen(function*() {
    const sockets = new Set<Socket>()
    const track = (socket: Socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    }
    const makeServer = () =>
      createServer((client) => {
        const upstream = connect(target.port, target.host)
        track(client)
        track(upstream)
        client.on("error", () => upstream.destroy())
        upstream.on("error", () => client.destroy())
        client.pipe(upstream).pipe(client)
      })
    const listen = (server: Server, port: number) =>
      Effect.async<number, Error>((resume) => {
        server.once("error", (error) => resume(Effect.fail(error)))
        server.listen(port, "127.0.0.1", () => {
          const address = server.address()
          resume(
            address !== null && typeof address === "object"
              ? Effect.succeed(address.port)
              : Effect.fail(new Error("the proxy has no TCP address"))
          )
        })
      })

    let server: Server | undefined = makeServer()
    const port = yield* listen(server, 0)

    const down = Effect.async<void>((resume) => {
      const current = server
      server = undefined
      for (const socket of sockets) socket.destroy()
      if (current === undefined || !current.listening) return resume(Effect.void)
      current.close(() => resume(Effect.void))
    })

    const up = Effect.suspend(() => {
      if (server !== undefined) return Effect.void
      const next = makeServer()
      server = next
      return Effect.asVoid(listen(next, port))
    })

    yield* Effect.addFinalizer(() => down)
    const proxy: TcpProxy = { port, down, up }
    return proxy
  })
