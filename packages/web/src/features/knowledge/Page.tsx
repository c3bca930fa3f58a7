import { ComingSoon } from "../../components/ComingSoon.js"
import { Icon } from "../../components/Icon.js"
import { usePageTitle } from "../../lib/title.js"

/** Knowledge: search the PILAR knowledge base. Filled by the knowledge (RAG) work. */
export default function KnowledgePage() {
  usePageTitle("Knowledge")
  return (
    <ComingSoon
      icon="book"
      eyebrow="Knowledge base"
      title="Ask the knowledge base"
      lede="Search everything Compilar knows about the PILAR framework — pillars, forces, connections and practical advice — and get answers with their sources."
      action={{ href: "/", label: "Browse the pillars" }}
    >
      <form class="search-preview" aria-label="Knowledge search (coming soon)" onSubmit={(e) => e.preventDefault()}>
        <label class="visually-hidden" for="knowledge-q">
          Search the knowledge base
        </label>
        <Icon name="search" />
        <input
          id="knowledge-q"
          type="search"
          disabled
          placeholder="e.g. How does psychological safety affect delegation?"
        />
      </form>
    </ComingSoon>
  )
}
