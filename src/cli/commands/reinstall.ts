import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'reinstall',
  description: 'reinstall an instance (its disk is wiped): boot an iPXE script with --ipxe <url>',
  args: ['<instance>'],
  options: [
    { flags: '--ipxe <url>', description: 'http(s) URL of the iPXE script to boot' },
    { flags: '--os <image>', description: 'reinstall from an OS image (where the provider offers it)' },
    { flags: '-y, --yes', description: 'do not ask for confirmation (required without a terminal)' },
    { flags: '--provider <name>', description: 'look only at this provider' },
    JSON_OPTION,
  ],
  handler: async (ctx, args) => (await import('../run/reinstall.js')).run(ctx, args),
});
