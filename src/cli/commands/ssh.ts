import { defineCommand } from '../define.js';

export default defineCommand({
  name: 'ssh',
  description: 'log in to an instance (or run a command on it) through the system\'s ssh',
  args: ['<instance>', '[command...]'],
  options: [
    { flags: '--provider <name>', description: 'look only at this provider' },
    { flags: '--user <name>', description: 'login user (default: the one ferry deployed with, else per provider and image: root, ubuntu, debian…)' },
    { flags: '-i, --identity <file>', description: 'private key (default: the one ferry deployed with, else ssh\'s own choice)' },
    { flags: '-o, --ssh-option <option>', description: 'extra ssh -o option, e.g. BatchMode=yes (repeatable)', repeatable: true },
    { flags: '--ssh-timeout <seconds>', description: 'how long to wait for SSH to answer at first connection (default 300, scaled by FERRY_TIME_SCALE)', number: true },
  ],
  help: 'ferry records the host key at first connection in $XDG_STATE_HOME/ferry/known_hosts and refuses a changed one. Put the remote command after --.',
  handler: async (ctx, args) => (await import('../run/ssh.js')).run(ctx, args),
});
