/**
 * SQL is written once with Postgres-style $1 … $n placeholders. SQLite binds `?` positionally,
 * so the SQLite driver rewrites each $n to `?` and reorders (or repeats) the parameters to match.
 * Quoted strings, quoted identifiers and comments are copied untouched.
 */

export interface Rewritten {
  sql: string;
  /** For each `?` in order, the zero-based index of the caller's parameter it binds. */
  order: number[];
}

export function rewritePlaceholders(sql: string): Rewritten {
  let out = '';
  const order: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const end = skipQuotedOrComment(sql, i);
    if (end > i) {
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    if (c === '$' && isDigit(sql[i + 1])) {
      let j = i + 1;
      while (isDigit(sql[j])) j++;
      const n = Number(sql.slice(i + 1, j));
      if (n < 1) throw new Error(`invalid placeholder $${n} in SQL`);
      order.push(n - 1);
      out += '?';
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return { sql: out, order };
}

/** Picks the parameters in the order the rewritten `?` placeholders expect. */
export function reorderParams(order: readonly number[], params: readonly unknown[]): unknown[] {
  return order.map((index) => {
    if (index >= params.length) throw new RangeError(`SQL uses $${index + 1} but only ${params.length} parameter(s) were given`);
    return params[index];
  });
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Returns the index just past a quoted string, quoted identifier or comment starting at i, or i if none starts there. */
function skipQuotedOrComment(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === c) {
        if (sql[j + 1] === c) j += 2; // doubled quote is an escaped quote
        else return j + 1;
      } else j++;
    }
    return sql.length;
  }
  if (c === '-' && sql[i + 1] === '-') {
    const nl = sql.indexOf('\n', i);
    return nl === -1 ? sql.length : nl + 1;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const close = sql.indexOf('*/', i + 2);
    return close === -1 ? sql.length : close + 2;
  }
  return i;
}
