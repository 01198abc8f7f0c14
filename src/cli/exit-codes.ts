/** ferry's exit codes (see errors.ts), apart so that a run that fails nothing loads no error reporting. */
export const EXIT = { ok: 0, failure: 1, usage: 2, cloudInitFailed: 3, declined: 4, waitTimeout: 5, bug: 70, interrupted: 130 } as const;
