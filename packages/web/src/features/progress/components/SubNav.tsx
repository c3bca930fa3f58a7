import { A } from "@solidjs/router"

/** History and Progress are two views of the same record: tabs-like links between them. */
export function SubNav() {
  return (
    <nav class="subnav" aria-label="Your record">
      <A href="/history" class="subnav__link" activeClass="is-active" end>
        History
      </A>
      <A href="/progress" class="subnav__link" activeClass="is-active" end>
        Progress
      </A>
    </nav>
  )
}
