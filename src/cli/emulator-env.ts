/**
 * The environment that points ferry at a running emulator: for each emulated provider, its
 * FERRY_<PROVIDER>_ENDPOINT and a value for each required setting — the credentials the emulated
 * API checks where it checks any, else a value of the right form. Used by the demo and the tests.
 */
import { endpointEnvOf, type ProviderRegistry } from '../core/index.js';

export function emulatorEnv(
  emu: { urls: Record<string, string>; credentials: Record<string, Record<string, string>> },
  registry: ProviderRegistry,
  providers: readonly string[] = Object.keys(emu.urls),
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of providers) {
    const url = emu.urls[p];
    if (!url) continue;
    const d = registry.descriptor(p);
    env[endpointEnvOf(d)] = url;
    const accepted = emu.credentials[p] ?? {};
    // What the emulated API checks goes in whole (AWS's secret is read by the SDK, not a ferry setting).
    Object.assign(env, accepted);
    for (const f of d.credentials) {
      const value = accepted[f.env] ?? (f.required ? (f.example ?? 'emulator-token') : undefined);
      if (value !== undefined) env[f.env] = value;
    }
  }
  return env;
}
