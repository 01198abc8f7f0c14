import type { CommandSpec } from '../define.js';
import agent from './agent.js';
import config from './config.js';
import contract from './contract.js';
import costs from './costs.js';
import demo from './demo.js';
import deploy from './deploy.js';
import destroy from './destroy.js';
import doctor from './doctor.js';
import emulator from './emulator.js';
import gc from './gc.js';
import history from './history.js';
import inventory from './inventory.js';
import keys from './keys.js';
import ls from './ls.js';
import offering from './offering.js';
import offers from './offers.js';
import providers from './providers.js';
import server from './server.js';
import show from './show.js';
import snapshot from './snapshot.js';
import ssh from './ssh.js';
import store from './store.js';

/** In the order --help lists them. */
export const COMMANDS: readonly CommandSpec[] = [demo, providers, offers, deploy, ls, show, ssh, destroy, snapshot, inventory, history, costs, gc, store, doctor, config, emulator, keys, offering, contract, server, agent];
