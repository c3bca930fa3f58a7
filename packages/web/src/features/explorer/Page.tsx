import { ComingSoon } from "../../components/ComingSoon.js"
import { usePageTitle } from "../../lib/title.js"

/** Explorer: forces and connections between pillars as a graph. Filled by the explorer work. */
export default function ExplorerPage() {
  usePageTitle("Explorer")
  return (
    <ComingSoon
      icon="graph"
      eyebrow="Explorer"
      title="How the pillars push on each other"
      lede="Within each mode every pillar acts on the other four: twenty connections that reinforce, invert or depend on context. The explorer will draw them as an interactive graph you can walk with mouse or keyboard."
      steps={[
        { title: "Reinforce", text: "The target moves the same way as the source." },
        { title: "Inverse", text: "The target moves the opposite way." },
        { title: "Discretionary", text: "It depends on the situation." }
      ]}
      action={{ href: "/", label: "Start with the pillars" }}
    />
  )
}
