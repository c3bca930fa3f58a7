/** The initials for an avatar: "Ada Lovelace" → "AL", "ada" → "A", "" → "?". */
export const initialsOf = (name: string): string =>
  name
    .trim()
    .split(/\s+/)
    .filter((word) => word !== "")
    .slice(0, 2)
    .map((word) => (Array.from(word)[0] ?? "").toUpperCase())
    .join("") || "?"
