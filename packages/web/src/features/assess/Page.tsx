import { ComingSoon } from "../../components/ComingSoon.js"
import { usePageTitle } from "../../lib/title.js"

/** Assess: pick a pillar and a mode, take the quiz, get scores and coaching. Filled by the assessment work. */
export default function AssessPage() {
  usePageTitle("Assess")
  return (
    <ComingSoon
      icon="clipboard"
      eyebrow="Assessment"
      title="See where your group stands"
      lede="Choose a pillar and a mode, answer a short quiz about how your group really works, and get a score for each of the pillar's four forces — with coaching on what to try next."
      steps={[
        { title: "Choose a pillar and a mode", text: "Egalitarian or hierarchical, one of the five PILAR dimensions." },
        { title: "Answer honestly", text: "A dozen statements on a five-point scale, from strongly disagree to strongly agree." },
        { title: "Read your scores", text: "Each force scored 0–100, banded low, mid or high." },
        { title: "Get coaching", text: "Concrete suggestions that take the pillar's connections into account." }
      ]}
      action={{ href: "/", label: "Explore the pillars first" }}
      secondary={{ href: "/signin", label: "Sign in to save results" }}
    />
  )
}
