// The rules form's pure half: SLAs shown in hours, and the patch of what changed (the API merges a partial
// document over the rules in force, so sending only the changes never undoes another admin's save).

export type RulesValues = Record<string, unknown>;

const HOUR = 3600;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapSla(value: unknown, convert: (n: number) => number): unknown {
  if (Array.isArray(value)) return value.map((v) => mapSla(v, convert));
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === 'ackSlaSeconds' && typeof v === 'number' ? convert(v) : mapSla(v, convert),
    ]),
  );
}

/** Every `ackSlaSeconds` in hours (to 4 places, so a few seconds still show). */
export function slaToForm(rules: object): RulesValues {
  return mapSla(rules, (s) => Math.round((s / HOUR) * 10_000) / 10_000) as RulesValues;
}

/** Every `ackSlaSeconds` back from hours to whole seconds. */
export function slaFromForm(values: RulesValues): RulesValues {
  return mapSla(values, (h) => Math.round(h * HOUR)) as RulesValues;
}

/** A routing row as compared: an unchecked "inform only" is the same as none. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => !(k === 'informOnly' && !v) && v !== undefined)
      .map(([k, v]) => [k, normalise(v)]),
  );
}

/** The leaves of `next` that differ from `initial`, as a partial document; lists are replaced whole. */
export function rulesChanges(initial: RulesValues, next: RulesValues): RulesValues {
  const out: RulesValues = {};
  for (const [key, value] of Object.entries(next)) {
    const before = initial[key];
    if (isRecord(value) && isRecord(before)) {
      const inner = rulesChanges(before, value);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else if (value !== undefined && value !== null) {
      const a = normalise(value);
      if (JSON.stringify(a) !== JSON.stringify(normalise(before))) out[key] = a;
    }
  }
  return out;
}
