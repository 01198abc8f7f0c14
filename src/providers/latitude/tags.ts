/**
 * ferry labels ↔ Latitude.sh tags. A Latitude tag is a team-wide object with a name, attached to
 * servers by id (PATCH /servers/{id} with `tags: [ids]`), so a label k=v is the tag named "k:v".
 * "_" is escaped as "__" and ":" inside a part as "_c", which keeps the mapping reversible and the
 * common tags (managed-by:ferry, ferry-create-id:<uuid>) readable. A tag ferry did not write comes
 * back as a label named after the whole tag with an empty value.
 */
function escapePart(s: string): string {
  return s.replace(/_/g, '__').replace(/:/g, '_c');
}

function unescapePart(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '_') {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === '_') out += '_';
    else if (n === 'c') out += ':';
    else return undefined;
    i++;
  }
  return out;
}

export function labelToTagName(key: string, value: string): string {
  return `${escapePart(key)}:${escapePart(value)}`;
}

export function labelsToTagNames(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => labelToTagName(k, v));
}

export function tagNamesToLabels(names: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const name of names) {
    const at = name.indexOf(':');
    const key = at < 0 ? undefined : unescapePart(name.slice(0, at));
    const value = at < 0 ? undefined : unescapePart(name.slice(at + 1));
    if (key && value !== undefined) labels[key] = value;
    else labels[name] = '';
  }
  return labels;
}
