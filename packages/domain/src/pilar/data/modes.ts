import { Mode } from "../Schema.js"

/** The two ways a group can coordinate. Order: egalitarian, hierarchical. */
export const modes: ReadonlyArray<Mode> = [
  new Mode({
    id: "egalitarian",
    name: "Egalitarian",
    summary: "Peers coordinate as equals, sharing voice, help and rewards fairly evenly and influencing each other through trust, goodwill and being liked.",
    description:
      "In egalitarian mode nobody needs a title to be heard. Work gets done because people believe in a common goal, help one another without keeping score, and feel free to question the prevailing view. Influence is earned through relationships and respect rather than granted by position, so the group's health shows in how openly people speak, how freely help flows and how much they trust each other's work."
  }),
  new Mode({
    id: "hierarchical",
    name: "Hierarchical",
    summary: "People coordinate through rank and authority, with power and rewards distributed unevenly and influence exercised through position, instruction and obligation.",
    description:
      "In hierarchical mode the group runs on a clear ladder. Those higher up decide and direct, rewards follow rank and personal results, and help is traded in exchanges where favours are remembered and repaid. Stability and predictability are valued, so established norms are defended and each person's standing depends heavily on how competent and reliable those around them judge them to be."
  })
]
