import { defineCommand, JSON_OPTION, OFFER_FILTERS } from '../define.js';

export default defineCommand({
  name: 'deploy',
  description: 'create a server: explicit (--provider --size --region) or the cheapest offer meeting the filters',
  options: [
    ...OFFER_FILTERS,
    { flags: '--size <plan>', description: 'the provider\'s size/plan (explicit mode, with --provider and --region)' },
    { flags: '--image <image>', description: 'ubuntu-24.04, debian-12, snapshot:<id> or a provider image id', default: 'ubuntu-24.04' },
    { flags: '--name <name>', description: 'instance name (default: generated); with --count, the prefix of <name>-1 … <name>-N' },
    { flags: '--count <n>', description: 'create N servers of one spec together (explicit or placed), batched where the provider can and waited for with a few listings', number: true },
    { flags: '--user-data <file>', description: 'cloud-init user data file' },
    { flags: '--ssh-key <path or id>', description: 'public key file or provider key id (repeatable)', repeatable: true },
    { flags: '--label <key=value>', description: 'extra label (repeatable)', repeatable: true },
    { flags: '--max-attempts <n>', description: 'offers to try at most when placing (default 5)', number: true },
    { flags: '--attempt-timeout <seconds>', description: 'give up on one offer after this long and try the next (the cut-short create stays journaled for `ferry gc`)', number: true },
    { flags: '--wait <stage>', description: 'wait until: ready (active with an address), ssh (port 22 answers and accepts the key), cloud-init (its status reports done)', default: 'ready' },
    { flags: '-i, --identity <file>', description: 'private key for --wait ssh|cloud-init and `ferry ssh` (default: the one beside the --ssh-key file)' },
    { flags: '--user <name>', description: 'login user for --wait ssh|cloud-init (default: per provider and image)' },
    { flags: '--ssh-timeout <seconds>', description: 'how long --wait ssh waits for SSH (default 300, scaled by FERRY_TIME_SCALE)', number: true },
    { flags: '--cloud-init-timeout <seconds>', description: 'how long --wait cloud-init waits for cloud-init (default 600, scaled)', number: true },
    { flags: '--no-wait', description: 'return once the create is accepted, without waiting for it to boot' },
    JSON_OPTION,
  ],
  help: 'Exit 3: the server is up but cloud-init reported an error (its output is shown). Every create is journaled before it is sent; if ferry dies mid-create, `ferry gc` finds the server by its create-id label.',
  handler: async (ctx, args) => (await import('../run/deploy.js')).run(ctx, args),
});
