import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContext } from '../../src/cli/context.js';
import { openProvider } from '../../src/cli/providers.js';
import type { ProxmoxProvider } from '../../src/providers/proxmox/index.js';

const quiet = { write: () => undefined, isTTY: false };

/**
 * A stock PVE install serves a self-signed certificate, and raw user data needs cicustom:
 * the CLI user must be able to set what the driver and its error hints ask for.
 */
test('Proxmox driver options reach the driver from the environment (TLS verification, ciuser, cicustom)', async () => {
  const env = {
    HOME: '/nonexistent-ferry-home',
    XDG_CONFIG_HOME: '/nonexistent-ferry-config',
    PROXMOX_URL: 'https://pve.example:8006',
    PROXMOX_TOKEN_ID: 'root@pam!ferry',
    PROXMOX_TOKEN_SECRET: 'c0ffee00-1111-2222-3333-444455556666',
    PROXMOX_VERIFY_TLS: 'false',
    PROXMOX_CIUSER: 'ops',
    PROXMOX_CICUSTOM: 'user=local:snippets/web.yaml',
  };
  const ctx = createContext({ env, stdout: quiet, stderr: quiet, interactive: false });
  const p = (await openProvider(ctx, 'proxmox')) as ProxmoxProvider;
  assert.equal(p.settings.verifyTls, false);
  assert.equal(p.settings.ciuser, 'ops');
  assert.equal(p.settings.cicustom, 'user=local:snippets/web.yaml');
  await ctx.close();
});
