/** The control-plane client's HTTP details: page queries and an abortable pause. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function pageQuery(page: { limit?: number; after?: string }): string {
  const q = new URLSearchParams();
  if (page.limit !== undefined) q.set('limit', String(page.limit));
  if (page.after) q.set('after', page.after);
  return q.toString() ? `?${q.toString()}` : '';
}
