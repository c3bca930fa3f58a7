import type { Connection, PillarId } from "@compilar/domain"

/**
 * Geometry of the connection graph, in SVG user units: five nodes on a pentagon (P at the top,
 * then I, L, A, R clockwise) and, for every ordered pair, a gently curved arc from the source's
 * rim to the target's rim with an arrowhead. The two directions of a pair bend to opposite sides,
 * so they never overlap. Pure functions: the component only draws what these return.
 */

export interface Point {
  readonly x: number
  readonly y: number
}

export const graphSize = { width: 720, height: 530 } as const
const center: Point = { x: 360, y: 286 }
const radius = 190
export const nodeRadius = 44

/** The whole drawing, labels included; and a tighter one (nodes only) for phones, where labels hide. */
export const viewBoxFull = `0 0 ${graphSize.width} ${graphSize.height}`
export const viewBoxCompact = (() => {
  const pad = 14
  const xs = [0, 1, 2, 3, 4].map((i) => nodePoint(i).x)
  const ys = [0, 1, 2, 3, 4].map((i) => nodePoint(i).y)
  const minX = Math.min(...xs) - nodeRadius - pad
  const minY = Math.min(...ys) - nodeRadius - pad
  const maxX = Math.max(...xs) + nodeRadius + pad
  const maxY = Math.max(...ys) + nodeRadius + pad
  return `${r(minX)} ${r(minY)} ${r(maxX - minX)} ${r(maxY - minY)}`
})()

function r(value: number): number {
  return Math.round(value * 100) / 100
}

/** The centre of the i-th node (0 = P at the top, clockwise). */
export function nodePoint(index: number): Point {
  const angle = -Math.PI / 2 + (index * 2 * Math.PI) / 5
  return { x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle) }
}

export type LabelSide = "above" | "right" | "below" | "left"

export interface NodeLabel {
  readonly side: LabelSide
  readonly x: number
  readonly y: number
  readonly anchor: "start" | "middle" | "end"
  /** One line above and below the pentagon, words on separate lines at its sides. */
  readonly lines: ReadonlyArray<string>
}

const sides: ReadonlyArray<LabelSide> = ["above", "right", "below", "below", "left"]

/** Where the full title of the i-th node goes: outside the pentagon, clear of the arcs. */
export function nodeLabel(index: number, title: string): NodeLabel {
  const p = nodePoint(index)
  const side = sides[index] ?? "below"
  const gap = nodeRadius + 12
  const words = title.split(" ")
  const split = words.length > 1 ? [words.slice(0, Math.ceil(words.length / 2)).join(" "), words.slice(Math.ceil(words.length / 2)).join(" ")] : [title]
  switch (side) {
    case "above":
      return { side, x: p.x, y: p.y - gap, anchor: "middle", lines: [title] }
    case "below":
      return { side, x: p.x, y: p.y + gap + 14, anchor: "middle", lines: [title] }
    case "right":
      return { side, x: p.x + gap, y: p.y - (split.length - 1) * 10 + 5, anchor: "start", lines: split }
    case "left":
      return { side, x: p.x - gap, y: p.y - (split.length - 1) * 10 + 5, anchor: "end", lines: split }
  }
}

/** Stroke width for a strength in 0..1: 0.50 → 2.6, 0.90 → 7. */
export const strokeWidth = (strength: number): number => r(1.5 + Math.max(0, strength - 0.4) * 11)

export interface EdgeGeometry {
  /** The arc, ending where the arrowhead starts. */
  readonly path: string
  /** The arrowhead: a triangle with its tip on the target's rim. */
  readonly head: string
  /** The point halfway along the arc (for the tooltip). */
  readonly mid: Point
  readonly width: number
}

const sub = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y })
const add = (a: Point, b: Point): Point => ({ x: a.x + b.x, y: a.y + b.y })
const scale = (a: Point, k: number): Point => ({ x: a.x * k, y: a.y * k })
const unit = (a: Point): Point => {
  const length = Math.hypot(a.x, a.y) || 1
  return { x: a.x / length, y: a.y / length }
}
const fmt = (p: Point): string => `${r(p.x)} ${r(p.y)}`

/** The arc from node `fromIndex` to node `toIndex`, drawn with the width its strength gives. */
export function edgeGeometry(fromIndex: number, toIndex: number, strength: number): EdgeGeometry {
  const a = nodePoint(fromIndex)
  const b = nodePoint(toIndex)
  const chord = sub(b, a)
  const length = Math.hypot(chord.x, chord.y)
  const u = unit(chord)
  // Bend to the right of the direction of travel: the reverse arc bends the other way.
  const normal: Point = { x: -u.y, y: u.x }
  const bend = 22 + length * 0.05
  const control = add(scale(add(a, b), 0.5), scale(normal, bend))

  const width = strokeWidth(strength)
  const start = add(a, scale(unit(sub(control, a)), nodeRadius + 3))
  const tip = add(b, scale(unit(sub(control, b)), nodeRadius + 4))
  const direction = unit(sub(tip, control))
  const headLength = 10 + width * 1.4
  const headHalf = 5 + width * 0.75
  const base = sub(tip, scale(direction, headLength))
  const side: Point = { x: -direction.y, y: direction.x }
  // The arc stops a little inside the arrowhead so the joint never shows a gap.
  const end = sub(tip, scale(direction, headLength * 0.7))

  const mid = add(add(scale(start, 0.25), scale(control, 0.5)), scale(end, 0.25))
  return {
    path: `M ${fmt(start)} Q ${fmt(control)} ${fmt(end)}`,
    head: `M ${fmt(tip)} L ${fmt(add(base, scale(side, headHalf)))} L ${fmt(sub(base, scale(side, headHalf)))} Z`,
    mid,
    width
  }
}

/** The edges of a mode: each connection with the geometry between its pillars' positions. */
export function layoutEdges(
  connections: ReadonlyArray<Connection>,
  order: ReadonlyArray<PillarId>
): ReadonlyArray<{ readonly connection: Connection; readonly geometry: EdgeGeometry }> {
  return connections.map((connection) => ({
    connection,
    geometry: edgeGeometry(order.indexOf(connection.from), order.indexOf(connection.to), connection.strength)
  }))
}
