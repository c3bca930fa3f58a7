import type { ConnectionType } from "@compilar/domain"

/** A short sample of an edge of this type: its colour, and the dash pattern for discretionary. */
export function TypeSwatch(props: { type: ConnectionType; width?: number }) {
  return (
    <svg class="type-swatch" data-type={props.type} viewBox="0 0 28 10" aria-hidden="true">
      <path class="type-swatch__line" d="M1 5 H 21" stroke-width={props.width ?? 3} />
      <path class="type-swatch__head" d="M27 5 L 19 0.5 L 19 9.5 Z" />
    </svg>
  )
}
