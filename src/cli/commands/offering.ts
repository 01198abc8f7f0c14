import { defineCommand, JSON_OPTION } from '../define.js';
import { API_OPTION, MARKET_HELP } from '../market-options.js';

export default defineCommand({
  name: 'offering',
  description: 'provider side of the market: publish what you rent out on the control plane',
  help: MARKET_HELP,
  subcommands: [
    defineCommand({
      name: 'add',
      description: 'publish an offering, signed with your key (you are its provider)',
      options: [
        { flags: '--name <name>', description: 'what requesters see (required)' },
        { flags: '--cpu-cores <n>', description: 'vCPUs (required)', number: true },
        { flags: '--memory <amount>', description: 'e.g. "8 GB" (required)' },
        { flags: '--storage <amount>', description: 'e.g. "100 GB" (required)' },
        { flags: '--bandwidth <mbps>', description: 'network bandwidth in Mbit/s', number: true },
        { flags: '--price <monthly>', description: 'monthly price (required)', number: true },
        { flags: '--currency <code>', description: 'currency of --price', default: 'USD' },
        { flags: '--provisioner <type>', description: 'proxmox, script, manual or cloud: which of your agents serve it' },
        { flags: '--provisioner-config <json>', description: 'provisioner settings for this offering: JSON inline or @file (e.g. {"size":"cx22"})' },
        { flags: '--post-provision-script <file>', description: 'a script run on the instance once it is up' },
        { flags: '--auto-accept <budget>', description: 'accept new contracts automatically while the open ones on this offering cost at most <budget> per month (in --currency); without it every contract waits for `ferry contract respond`', number: true },
        API_OPTION,
        JSON_OPTION,
      ],
      handler: async (ctx, args) => (await import('../run/offering.js')).add(ctx, args),
    }),
    defineCommand({
      name: 'ls',
      description: 'list offerings: everyone\'s, yours (--mine) or one provider\'s',
      options: [
        { flags: '--mine', description: 'only the offerings of your key' },
        { flags: '--provider <pubkey>', description: 'only this provider\'s offerings' },
        API_OPTION,
        JSON_OPTION,
      ],
      handler: async (ctx, args) => (await import('../run/offering.js')).list(ctx, args),
    }),
    defineCommand({
      name: 'rm',
      description: 'withdraw one of your offerings (existing contracts are not affected)',
      args: ['<offering-id>'],
      options: [API_OPTION],
      handler: async (ctx, args) => (await import('../run/offering.js')).remove(ctx, args),
    }),
  ],
});
