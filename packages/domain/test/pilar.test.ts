import { describe, expect, it } from "@effect/vitest"
import { Option, Schema } from "effect"
import {
  computeDatasetVersion,
  Connection,
  connectionById,
  connections,
  connectionsFrom,
  connectionsOf,
  connectionsTo,
  dataset,
  datasetVersion,
  Dimension,
  dimensions,
  fnv1a32,
  Force,
  forceById,
  ForceId,
  forces,
  forcesOf,
  Mode,
  modes,
  Pillar,
  pillarById,
  PilarDataset,
  pillars,
  pillarsOf,
  type ModeId,
  type PillarId
} from "../src/index.js"

// ── Expected facts, copied from /work/shared/domain/PILAR.md (independently of the data files) ──

/** PILAR.md "Dimensions and pillars": dimension | egalitarian (id, title, abbr) | hierarchical (id, title, abbr). */
const PILLAR_TABLE = `
| Prospects | \`grpprosp\` Group Prospects, GrpProsp | \`ownprosp\` Own Prospects, OwnProsp |
| Involved | \`indrecip\` Indirect Reciprocity, IndRecip | \`dirrecip\` Direct Reciprocity, DirRecip |
| Liked | \`popularity\` Popularity, Pop | \`status\` Status, Stat |
| Agency | \`divsexp\` Diverse Expression, DivsExp | \`normexp\` Normative Expression, NormExp |
| Respect | \`outresp\` Outgoing Respect, OutResp | \`incresp\` Incoming Respect, IncResp |
`

/** PILAR.md "Forces": pillar | force 1..4. */
const FORCE_TABLE = `
| \`divsexp\` | Psychological Safety | Challenge Welcome | Growth Mindset | Constructive Dissent |
| \`indrecip\` | Unconditional Helping | Resource Fluidity | Pay-it-Forward Culture | Reciprocity Trust |
| \`popularity\` | Warmth & Acceptance | Informal Influence | Social Support | Belonging Signals |
| \`grpprosp\` | Collective Goal Clarity | Team Success Belief | Shared Future Vision | Joint Accountability |
| \`outresp\` | Peer Competence | Trust in Intentions | Quality Street | Delegation Confidence |
| \`normexp\` | Predictability Preferred | Rewards of Conformity | Stability Preference | Norm Enforcement |
| \`dirrecip\` | Conditional Help | Favor Trading | Pick and Stick | Debt Leverage |
| \`status\` | Formal Authority | Command Capacity | Built-in Advantage | Control of Resources |
| \`ownprosp\` | Personal Advancement | Credit Attribution | Self-Serving Goals | Incentive Alignment |
| \`incresp\` | Perceived Competence | Reputation Management | External Locus of Control | Visibility of Delivery |
`

/** PILAR.md "Connections": id | from → to | name | type | strength. */
const CONNECTION_TABLE = `
| ECP-01 | grpprosp → indrecip | — | D | 0.50 |
| ECP-02 | grpprosp → popularity | Circle the Wagons | I | 0.78 |
| ECP-03 | grpprosp → divsexp | Desperate Times | I | 0.70 |
| ECP-04 | grpprosp → outresp | Scapegoating | R | 0.85 |
| ECP-05 | indrecip → grpprosp | Mucking in Together | R | 0.85 |
| ECP-06 | indrecip → popularity | Spread the Love | R | 0.88 |
| ECP-07 | indrecip → divsexp | Here to Help | R | 0.80 |
| ECP-08 | indrecip → outresp | Watch and Learn | R | 0.75 |
| ECP-09 | popularity → grpprosp | Knowing What's Best | R | 0.75 |
| ECP-10 | popularity → indrecip | Spread Too Thin | I | 0.65 |
| ECP-11 | popularity → divsexp | Making Fetch Happen | R | 0.82 |
| ECP-12 | popularity → outresp | Heavy Lies the Crown | I | 0.68 |
| ECP-13 | divsexp → grpprosp | Font of Wisdom | R | 0.90 |
| ECP-14 | divsexp → indrecip | Growth Mindset | R | 0.78 |
| ECP-15 | divsexp → popularity | — | D | 0.50 |
| ECP-16 | divsexp → outresp | Rise to the Occasion | R | 0.82 |
| ECP-17 | outresp → grpprosp | Quality Street | R | 0.88 |
| ECP-18 | outresp → indrecip | I'll Just Do It Myself | R | 0.80 |
| ECP-19 | outresp → popularity | Don't Dis Me Bro | R | 0.75 |
| ECP-20 | outresp → divsexp | Compensatory Complacency | I | 0.70 |
| HCP-01 | ownprosp → dirrecip | — | D | 0.50 |
| HCP-02 | ownprosp → status | Short Poppies | I | 0.70 |
| HCP-03 | ownprosp → normexp | I've Got it Covered | I | 0.78 |
| HCP-04 | ownprosp → incresp | Winners are Grinners | R | 0.82 |
| HCP-05 | dirrecip → ownprosp | Strength to Your Arm | R | 0.85 |
| HCP-06 | dirrecip → status | Pick and Stick | R | 0.75 |
| HCP-07 | dirrecip → normexp | Left in the Lurch | R | 0.72 |
| HCP-08 | dirrecip → incresp | Tits on a Bull | R | 0.68 |
| HCP-09 | status → ownprosp | Built-in Advantage | R | 0.90 |
| HCP-10 | status → dirrecip | More to Lose, or Gain | I | 0.65 |
| HCP-11 | status → normexp | Self Interest Quo | R | 0.85 |
| HCP-12 | status → incresp | All Praise the Boss | I | 0.75 |
| HCP-13 | normexp → ownprosp | Rewards of Conformity | R | 0.80 |
| HCP-14 | normexp → dirrecip | Predictability Preferred | R | 0.85 |
| HCP-15 | normexp → status | — | D | 0.50 |
| HCP-16 | normexp → incresp | The Right Thing | R | 0.82 |
| HCP-17 | incresp → ownprosp | External Locus of Control | R | 0.78 |
| HCP-18 | incresp → dirrecip | Sulking in a Corner | R | 0.75 |
| HCP-19 | incresp → status | Inferred Status | R | 0.88 |
| HCP-20 | incresp → normexp | Comfortable in my Own Skin | I | 0.70 |
`

const rows = (table: string): ReadonlyArray<ReadonlyArray<string>> =>
  table
    .trim()
    .split("\n")
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim().replaceAll("`", ""))
    )

const cell = (row: ReadonlyArray<string>, i: number): string => {
  const value = row[i]
  if (value === undefined) throw new Error(`missing cell ${i} in ${row.join(" | ")}`)
  return value
}

const typeByLetter = { R: "reinforce", I: "inverse", D: "discretionary" } as const

const expectedConnections = rows(CONNECTION_TABLE).map((row) => {
  const [from, to] = cell(row, 1).split(" → ")
  const name = cell(row, 2)
  return {
    id: cell(row, 0),
    from,
    to,
    name: name === "—" ? null : name,
    type: typeByLetter[cell(row, 3) as keyof typeof typeByLetter],
    strength: Number(cell(row, 4))
  }
})

/** Egalitarian pillars first, then hierarchical, each in dimension order (the order the data keeps). */
const pillarColumns: ReadonlyArray<readonly [ModeId, number]> = [
  ["egalitarian", 1],
  ["hierarchical", 2]
]
const expectedPillars = pillarColumns.flatMap(([mode, column]) =>
  rows(PILLAR_TABLE).map((row) => {
    const text = cell(row, column)
    const match = /^(\w+) (.+), (\w+)$/.exec(text)
    if (match === null) throw new Error(`bad pillar cell ${text}`)
    return { id: match[1], title: match[2], abbreviation: match[3], mode, dimension: cell(row, 0).toLowerCase() }
  })
)

/** Independent slug rule: lowercase, drop apostrophes, any other run of non-alphanumerics becomes one dash. */
const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")

const expectedForces = rows(FORCE_TABLE).flatMap((row) =>
  row.slice(1).map((name) => ({ id: `${cell(row, 0)}.${slug(name)}`, pillar: cell(row, 0), name }))
)

const pillarOf = (id: PillarId): Pillar => Option.getOrThrow(pillarById(id))

// ── Tests ───────────────────────────────────────────────────────────────────

describe("PILAR dataset", () => {
  describe("schema validity", () => {
    it("every array decodes through its Schema from its encoded form", () => {
      const roundTrip = <A, I>(schema: Schema.Schema<A, I>, value: A): A =>
        Schema.decodeUnknownSync(schema)(JSON.parse(JSON.stringify(Schema.encodeSync(schema)(value))))
      expect(roundTrip(Schema.Array(Mode), modes)).toStrictEqual(modes)
      expect(roundTrip(Schema.Array(Dimension), dimensions)).toStrictEqual(dimensions)
      expect(roundTrip(Schema.Array(Pillar), pillars)).toStrictEqual(pillars)
      expect(roundTrip(Schema.Array(Force), forces)).toStrictEqual(forces)
      expect(roundTrip(Schema.Array(Connection), connections)).toStrictEqual(connections)
      expect(roundTrip(PilarDataset, dataset)).toStrictEqual(dataset)
    })

    it("the schemas reject a malformed item (so the decode check above has teeth)", () => {
      const encoded = Schema.encodeSync(Schema.Array(Connection))(connections)
      const bad = encoded.map((c, i) => (i === 0 ? { ...c, strength: 1.5 } : c))
      expect(() => Schema.decodeUnknownSync(Schema.Array(Connection))(bad)).toThrow()
      expect(() => ForceId.make("Divsexp.Psychological Safety")).toThrow()
    })
  })

  describe("counts", () => {
    it("2 modes, 5 dimensions, 10 pillars, 40 forces, 40 connections", () => {
      expect(modes).toHaveLength(2)
      expect(dimensions).toHaveLength(5)
      expect(pillars).toHaveLength(10)
      expect(forces).toHaveLength(40)
      expect(connections).toHaveLength(40)
    })

    it("5 pillars and 20 connections per mode, 4 forces per pillar, one pillar per dimension per mode", () => {
      for (const mode of modes) {
        expect(pillarsOf(mode.id)).toHaveLength(5)
        expect(connectionsOf(mode.id)).toHaveLength(20)
        expect(new Set(pillarsOf(mode.id).map((p) => p.dimension))).toEqual(new Set(dimensions.map((d) => d.id)))
      }
      for (const pillar of pillars) {
        expect(forcesOf(pillar.id)).toHaveLength(4)
        expect(connectionsFrom(pillar.id)).toHaveLength(4)
        expect(connectionsTo(pillar.id)).toHaveLength(4)
      }
    })
  })

  describe("ids", () => {
    it("are unique within each collection", () => {
      for (const items of [modes, dimensions, pillars, forces, connections] as ReadonlyArray<
        ReadonlyArray<{ readonly id: string }>
      >) {
        expect(new Set(items.map((x) => x.id)).size).toBe(items.length)
      }
    })

    it("dimension letters spell PILAR", () => {
      expect(dimensions.map((d) => d.letter).join("")).toBe("PILAR")
      expect(dimensions.map((d) => d.name)).toEqual(["Prospects", "Involved", "Liked", "Agency", "Respect"])
    })

    it("modes match PILAR.md", () => {
      expect(modes.map((m) => [m.id, m.name])).toEqual([
        ["egalitarian", "Egalitarian"],
        ["hierarchical", "Hierarchical"]
      ])
    })

    it("pillars match PILAR.md (id, title, abbreviation, mode, dimension)", () => {
      expect(expectedPillars).toHaveLength(10)
      const actual = pillars.map((p) => ({
        id: p.id,
        title: p.title,
        abbreviation: p.abbreviation,
        mode: p.mode,
        dimension: p.dimension
      }))
      expect(actual).toEqual(expectedPillars)
    })

    it("every force id is `<pillar>.<slug of name>`, matches the pattern, and forces follow PILAR.md order", () => {
      expect(expectedForces).toHaveLength(40)
      for (const force of forces) {
        expect(force.id).toMatch(/^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/)
        expect(force.id.startsWith(`${force.pillar}.`)).toBe(true)
        expect(force.id).toBe(`${force.pillar}.${slug(force.name)}`)
      }
      expect(forces.map((f) => ({ id: f.id, pillar: f.pillar, name: f.name }))).toEqual(expectedForces)
    })

    it("spells the tricky force ids as agreed", () => {
      expect(Option.isSome(forceById("popularity.warmth-acceptance"))).toBe(true)
      expect(Option.isSome(forceById("indrecip.pay-it-forward-culture"))).toBe(true)
      expect(Option.isSome(forceById("divsexp.psychological-safety"))).toBe(true)
      expect(Option.isSome(forceById("ownprosp.self-serving-goals"))).toBe(true)
    })
  })

  describe("counterparts", () => {
    it("are symmetric, share a dimension and sit in the other mode", () => {
      for (const pillar of pillars) {
        const other = pillarOf(pillar.counterpart)
        expect(other.counterpart).toBe(pillar.id)
        expect(other.dimension).toBe(pillar.dimension)
        expect(other.mode).not.toBe(pillar.mode)
      }
    })
  })

  describe("connections", () => {
    it("per mode: exactly 13 reinforce, 5 inverse, 2 discretionary", () => {
      for (const mode of modes) {
        const ofMode = connectionsOf(mode.id)
        const count = (type: string) => ofMode.filter((c) => c.type === type).length
        expect({ reinforce: count("reinforce"), inverse: count("inverse"), discretionary: count("discretionary") })
          .toEqual({ reinforce: 13, inverse: 5, discretionary: 2 })
      }
    })

    it("discretionary ⇔ name null ⇔ strength 0.5", () => {
      for (const c of connections) {
        const discretionary = c.type === "discretionary"
        expect(c.name === null).toBe(discretionary)
        expect(c.strength === 0.5).toBe(discretionary)
      }
    })

    it("within a mode every ordered pair of distinct pillars appears exactly once; none crosses modes", () => {
      for (const mode of modes) {
        const ids = pillarsOf(mode.id).map((p) => p.id)
        const seen = new Map<string, number>()
        for (const c of connectionsOf(mode.id)) {
          expect(pillarOf(c.from).mode).toBe(mode.id)
          expect(pillarOf(c.to).mode).toBe(mode.id)
          expect(c.from).not.toBe(c.to)
          const key = `${c.from}>${c.to}`
          seen.set(key, (seen.get(key) ?? 0) + 1)
        }
        for (const a of ids) {
          for (const b of ids) {
            if (a !== b) expect(seen.get(`${a}>${b}`), `${a} → ${b}`).toBe(1)
          }
        }
      }
    })

    it("id prefix matches the mode (ECP egalitarian, HCP hierarchical), numbered 01..20", () => {
      for (const mode of modes) {
        const prefix = mode.id === "egalitarian" ? "ECP" : "HCP"
        expect(connectionsOf(mode.id).map((c) => c.id)).toEqual(
          Array.from({ length: 20 }, (_, i) => `${prefix}-${String(i + 1).padStart(2, "0")}`)
        )
      }
    })

    it("strengths lie in [0, 1]", () => {
      for (const c of connections) {
        expect(c.strength).toBeGreaterThanOrEqual(0)
        expect(c.strength).toBeLessThanOrEqual(1)
      }
    })

    it("spot-checks facts from PILAR.md", () => {
      const ecp04 = Option.getOrThrow(connectionById("ECP-04"))
      expect([ecp04.from, ecp04.to, ecp04.name, ecp04.type, ecp04.strength]).toEqual([
        "grpprosp",
        "outresp",
        "Scapegoating",
        "reinforce",
        0.85
      ])
      const hcp19 = Option.getOrThrow(connectionById("HCP-19"))
      expect([hcp19.from, hcp19.to, hcp19.name, hcp19.type, hcp19.strength]).toEqual([
        "incresp",
        "status",
        "Inferred Status",
        "reinforce",
        0.88
      ])
      const ecp18 = Option.getOrThrow(connectionById("ECP-18"))
      expect(ecp18.name).toBe("I'll Just Do It Myself")
      const hcp15 = Option.getOrThrow(connectionById("HCP-15"))
      expect([hcp15.from, hcp15.to, hcp15.name, hcp15.type, hcp15.strength]).toEqual([
        "normexp",
        "status",
        null,
        "discretionary",
        0.5
      ])
    })

    it.each(expectedConnections)("$id matches PILAR.md", (expected) => {
      const actual = Option.getOrThrow(connectionById(expected.id))
      expect({
        id: actual.id,
        from: actual.from,
        to: actual.to,
        name: actual.name,
        type: actual.type,
        strength: actual.strength
      }).toEqual(expected)
    })

    it("the data holds exactly the 40 connections of PILAR.md, in order", () => {
      expect(expectedConnections).toHaveLength(40)
      expect(connections.map((c) => c.id)).toEqual(expectedConnections.map((c) => c.id))
    })
  })

  describe("text", () => {
    const nonEmpty = (label: string, text: string) => expect(text.trim().length, label).toBeGreaterThan(0)

    it("every text field is non-empty", () => {
      for (const m of modes) {
        for (const field of ["name", "summary", "description"] as const) nonEmpty(`${m.id}.${field}`, m[field])
      }
      for (const d of dimensions) {
        nonEmpty(`${d.id}.name`, d.name)
        nonEmpty(`${d.id}.letter`, d.letter)
      }
      for (const p of pillars) {
        for (const field of ["title", "abbreviation", "measures", "description"] as const) {
          nonEmpty(`${p.id}.${field}`, p[field])
        }
        for (const field of ["highLooksLike", "lowLooksLike", "reflectiveQuestions"] as const) {
          expect(p[field], `${p.id}.${field}`).toHaveLength(3)
          p[field].forEach((line, i) => nonEmpty(`${p.id}.${field}[${i}]`, line))
        }
        for (const q of p.reflectiveQuestions) expect(q.endsWith("?"), q).toBe(true)
      }
      for (const f of forces) {
        for (const field of ["name", "description", "highSignal", "lowSignal"] as const) {
          nonEmpty(`${f.id}.${field}`, f[field])
        }
      }
      for (const c of connections) {
        nonEmpty(`${c.id}.description`, c.description)
        nonEmpty(`${c.id}.example`, c.example)
        if (c.name !== null) nonEmpty(`${c.id}.name`, c.name)
      }
    })

    it("no text is duplicated where it should be specific", () => {
      const all = [
        ...pillars.flatMap((p) => [p.measures, p.description, ...p.highLooksLike, ...p.lowLooksLike]),
        ...forces.flatMap((f) => [f.description, f.highSignal, f.lowSignal]),
        ...connections.flatMap((c) => [c.description, c.example])
      ]
      expect(new Set(all).size).toBe(all.length)
    })
  })

  describe("lookups", () => {
    it("find known ids and return None for unknown ones", () => {
      expect(Option.map(pillarById("divsexp"), (p) => p.title)).toEqual(Option.some("Diverse Expression"))
      expect(Option.isNone(pillarById("nope"))).toBe(true)
      expect(Option.map(forceById("status.control-of-resources"), (f) => f.name)).toEqual(
        Option.some("Control of Resources")
      )
      expect(Option.isNone(forceById("status.nope"))).toBe(true)
      expect(Option.isNone(connectionById("ECP-21"))).toBe(true)
    })

    it("filter by mode and pillar", () => {
      expect(pillarsOf("egalitarian").map((p) => p.id)).toEqual(["grpprosp", "indrecip", "popularity", "divsexp", "outresp"])
      expect(pillarsOf("hierarchical").map((p) => p.id)).toEqual(["ownprosp", "dirrecip", "status", "normexp", "incresp"])
      expect(forcesOf("indrecip").map((f) => f.name)).toEqual([
        "Unconditional Helping",
        "Resource Fluidity",
        "Pay-it-Forward Culture",
        "Reciprocity Trust"
      ])
      expect(connectionsFrom("status").map((c) => c.id)).toEqual(["HCP-09", "HCP-10", "HCP-11", "HCP-12"])
      expect(connectionsTo("grpprosp").map((c) => c.id)).toEqual(["ECP-05", "ECP-09", "ECP-13", "ECP-17"])
      expect(connectionsOf("hierarchical").every((c) => c.mode === "hierarchical")).toBe(true)
    })
  })

  describe("datasetVersion", () => {
    it("fnv1a32 matches the reference vectors and hashes UTF-8 bytes", () => {
      expect(fnv1a32("")).toBe("811c9dc5")
      expect(fnv1a32("a")).toBe("e40c292c")
      expect(fnv1a32("foobar")).toBe("bf9cf968")
      // "é" is two UTF-8 bytes (c3 a9): the same as hashing those bytes as Latin-1 characters would not be.
      expect(fnv1a32("é")).not.toBe(fnv1a32("\u00c3\u00a9"))
      expect(fnv1a32("a")).not.toBe(fnv1a32("b"))
    })

    it("is stable across computations and has the documented shape", () => {
      expect(datasetVersion).toMatch(/^pilar-[0-9a-f]{8}$/)
      expect(computeDatasetVersion(dataset)).toBe(datasetVersion)
      expect(computeDatasetVersion({ ...dataset, connections: [...connections] })).toBe(datasetVersion)
    })

    it("changes when any fact or text changes", () => {
      const first = connections[0]
      const firstForce = forces[0]
      if (first === undefined || firstForce === undefined) throw new Error("empty dataset")
      const tweakedStrength = computeDatasetVersion({
        ...dataset,
        connections: [new Connection({ ...first, strength: 0.51 }), ...connections.slice(1)]
      })
      const tweakedText = computeDatasetVersion({
        ...dataset,
        forces: [new Force({ ...firstForce, description: `${firstForce.description} ` }), ...forces.slice(1)]
      })
      const reordered = computeDatasetVersion({ ...dataset, modes: [...modes].reverse() })
      expect(new Set([datasetVersion, tweakedStrength, tweakedText, reordered]).size).toBe(4)
    })
  })
})
