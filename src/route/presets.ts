// Built-in presets as users see them: `kube-event-router presets` and `.Preset` in templates.
import type { EnrichedEvent } from '../event/event.ts';
import { PRESET_DEFINITIONS } from './preset-defs.ts';
import { presetRule } from './rule.ts';

export interface PresetInfo {
  readonly name: string;
  readonly description: string;
}

/** Every preset with its one-line description, in definition order. */
export function listPresets(): PresetInfo[] {
  return PRESET_DEFINITIONS.map(({ name, description }) => ({ name, description }));
}

/** Every preset name; `preset:` accepts exactly these. */
export const PRESET_NAMES: readonly string[] = PRESET_DEFINITIONS.map((d) => d.name);

// Templates may ask for .Preset once per receiver; an event is matched against presets once.
const matched = new WeakMap<EnrichedEvent, readonly string[]>();

/** The names of the presets the event matches, in definition order (memoised per event). */
export function matchPresets(event: EnrichedEvent): readonly string[] {
  let names = matched.get(event);
  if (names === undefined) {
    names = Object.freeze(PRESET_NAMES.filter((name) => presetRule(name)?.matches(event) === true));
    matched.set(event, names);
  }
  return names;
}
