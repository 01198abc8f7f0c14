/** Replaces every secret in a text; used on log lines and error messages. */
export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const plain = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  // Encoded forms travel in URLs and form bodies.
  const encoded = plain.map((s) => encodeURIComponent(s)).filter((enc, i) => enc !== plain[i]);
  const list = [...plain, ...encoded];
  if (list.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const s of list) if (out.includes(s)) out = out.split(s).join('***');
    return out;
  };
}
