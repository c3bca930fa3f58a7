/**
 * One refresh at a time across every tab of the app. Tabs share the refresh cookie; two tabs
 * refreshing together would present the same token twice, and the second presentation counts
 * as reuse, which revokes the session. A Web Lock queues them: the second tab refreshes only
 * after the first one's answer has replaced the cookie, so it presents the new token.
 * Without Web Locks (an old browser, or plain http off localhost) it just runs.
 */
export const withTabLock = <A>(name: string, f: () => Promise<A>): Promise<A> => {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks
  // `request` resolves with what the callback returns, here a promise: `then` flattens the type.
  return locks === undefined ? f() : locks.request(name, f).then((result) => result)
}
