import { ComingSoon } from "../../components/ComingSoon.js"
import { usePageTitle } from "../../lib/title.js"

/** History: the learner's past assessments and scores. Filled once accounts and assessments exist. */
export default function HistoryPage() {
  usePageTitle("History")
  return (
    <ComingSoon
      icon="clock"
      eyebrow="History"
      title="Your assessments, over time"
      lede="Every assessment you complete will appear here with its scores and coaching, so you can see how your group changes from one month to the next."
      action={{ href: "/assess", label: "Take an assessment" }}
      secondary={{ href: "/signin", label: "Sign in" }}
    />
  )
}
