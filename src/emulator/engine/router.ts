import type { Handler, Router } from './types.js';

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

/** Path patterns with :params; the first registered match wins, literal segments before params. */
export class PathRouter implements Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): void {
    this.routes.push({ method: method.toUpperCase(), parts: split(pattern), handler });
    // Literal segments beat :params so /servers/actions is not taken for /servers/:id.
    this.routes.sort((a, b) => specificity(b) - specificity(a));
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | 'method_not_allowed' | undefined {
    const parts = split(path);
    let pathMatched = false;
    for (const r of this.routes) {
      const params = matchParts(r.parts, parts);
      if (!params) continue;
      pathMatched = true;
      if (r.method === method.toUpperCase()) return { handler: r.handler, params };
    }
    return pathMatched ? 'method_not_allowed' : undefined;
  }
}

function split(p: string): string[] {
  return p.split('/').filter(Boolean);
}

function specificity(r: Route): number {
  return r.parts.reduce((n, p, i) => n + (p.startsWith(':') ? 0 : 2 ** (20 - i)), 0);
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(v);
    else if (p !== v) return undefined;
  }
  return params;
}
