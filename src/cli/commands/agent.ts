import { defineCommand } from '../define.js';

const CONFIG = { flags: '--config <file>', description: 'the agent\'s TOML configuration (required)' };

const EXAMPLE = `Example configuration (the provider_secret_key_file may be the file \`ferry keys generate\` wrote):
  [api]
  endpoint = "http://127.0.0.1:8080"
  provider_secret_key_file = "~/.config/ferry/keys/ferry_ed25519"
  [polling]
  interval_seconds = 30
  long_poll = true
  [provisioner]
  type = "proxmox"            # or script, manual, cloud
  [provisioner.proxmox]
  api_url = "https://pve.example:8006"
  api_token_id = "root@pam!agent"
  api_token_secret = "/etc/ferry/pve-token"   # a path to a file works for secrets
  node = "pve1"
  template_vmid = 9000`;

export default defineCommand({
  name: 'agent',
  description: 'the provider agent: takes contracts from a control plane and provisions them',
  help: EXAMPLE,
  subcommands: [
    defineCommand({
      name: 'run',
      description: 'poll the control plane and provision, health-check and tear down contracts until SIGTERM',
      options: [CONFIG, { flags: '--state-dir <dir>', description: 'where the agent journals its contracts (default [agent] state_dir, else $XDG_STATE_HOME/ferry/agent)' }],
      handler: async (ctx, args) => (await import('../run/agent.js')).run(ctx, args),
    }),
    defineCommand({
      name: 'doctor',
      description: 'check the configuration, keys, control plane (a signed heartbeat) and the provisioner',
      options: [CONFIG, { flags: '--skip-api', description: 'skip the control-plane checks' }],
      handler: async (ctx, args) => (await import('../run/agent.js')).doctor(ctx, args),
    }),
    defineCommand({
      name: 'test-provision',
      description: 'provision one throwaway instance with the configured provisioner, check it, terminate it',
      options: [
        CONFIG,
        { flags: '--ssh-key <key>', description: 'SSH public key to install: a path or the key itself' },
        { flags: '--cpu-cores <n>', description: 'vCPUs', number: true, default: 1 },
        { flags: '--memory-mb <n>', description: 'memory in MiB', number: true, default: 1024 },
        { flags: '--storage-gb <n>', description: 'disk in GB', number: true, default: 10 },
        { flags: '--keep', description: 'leave the instance running' },
      ],
      handler: async (ctx, args) => (await import('../run/agent.js')).testProvision(ctx, args),
    }),
  ],
});
