import { defineCommand, JSON_OPTION } from '../define.js';
import { API_OPTION, MARKET_HELP, WAIT_OPTIONS } from '../market-options.js';

const ID = '<contract-id>';
const ID_HELP = 'A contract id may be shortened to any unique prefix.';

export default defineCommand({
  name: 'contract',
  description: 'requester side of the market: rent an offering, follow it, get its credentials, end it',
  help: MARKET_HELP,
  subcommands: [
    defineCommand({
      name: 'create',
      description: 'request a contract on an offering, signed with your key (you are its requester)',
      args: ['<offering-id>'],
      options: [
        { flags: '--ssh-key <key>', description: 'your SSH public key: a path (~/.ssh/id_ed25519.pub) or the key itself (required)' },
        { flags: '--config <json>', description: 'instance config for the provider: JSON inline or @file (e.g. {"hostname":"web-1"})' },
        ...WAIT_OPTIONS,
        API_OPTION,
        JSON_OPTION,
      ],
      help: 'With --wait, returns once the contract is provisioned (exit 0) or failed/rejected (exit 1).',
      handler: async (ctx, args) => (await import('../run/contract.js')).create(ctx, args),
    }),
    defineCommand({
      name: 'ls',
      description: 'your contracts, newest first',
      options: [{ flags: '--as <side>', description: 'requester (default), or provider: the contracts on your offerings' }, API_OPTION, JSON_OPTION],
      handler: async (ctx, args) => (await import('../run/contract.js')).list(ctx, args),
    }),
    defineCommand({
      name: 'show',
      description: 'one contract, its instance and its history (every transition with time and actor)',
      args: [ID],
      options: [API_OPTION, JSON_OPTION],
      help: ID_HELP,
      handler: async (ctx, args) => (await import('../run/contract.js')).show(ctx, args),
    }),
    defineCommand({
      name: 'cancel',
      description: 'end a contract: cancelled if not started yet, else its instance is terminated',
      args: [ID],
      options: [...WAIT_OPTIONS, API_OPTION, JSON_OPTION],
      help: `${ID_HELP}\nWith --wait, returns once the instance is gone (terminated).`,
      handler: async (ctx, args) => (await import('../run/contract.js')).cancel(ctx, args),
    }),
    defineCommand({
      name: 'respond',
      description: 'as the provider, accept or reject a requested contract (offerings without --auto-accept)',
      args: [ID],
      options: [
        { flags: '--accept', description: 'accept it: your agents start provisioning' },
        { flags: '--reject', description: 'reject it' },
        { flags: '--memo <text>', description: 'a note kept in the contract history' },
        API_OPTION,
        JSON_OPTION,
      ],
      help: ID_HELP,
      handler: async (ctx, args) => (await import('../run/contract.js')).respond(ctx, args),
    }),
    defineCommand({
      name: 'credentials',
      description: 'fetch the instance\'s credentials (sealed to your key) and decrypt them here',
      args: [ID],
      options: [API_OPTION, JSON_OPTION],
      help: `${ID_HELP}\nThe control plane only ever holds them encrypted to your key; only your key file opens them.`,
      handler: async (ctx, args) => (await import('../run/contract.js')).credentials(ctx, args),
    }),
  ],
});
