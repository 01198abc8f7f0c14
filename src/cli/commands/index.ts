import type { CommandSpec } from '../define.js';
import demo from './demo.js';
import providers from './providers.js';
import offers from './offers.js';
import deploy from './deploy.js';
import ls from './ls.js';
import show from './show.js';
import ssh from './ssh.js';
import start from './start.js';
import stop from './stop.js';
import reboot from './reboot.js';
import reinstall from './reinstall.js';
import destroy from './destroy.js';
import snapshot from './snapshot.js';
import inventory from './inventory.js';
import history from './history.js';
import costs from './costs.js';
import gc from './gc.js';
import store from './store.js';
import doctor from './doctor.js';
import config from './config.js';
import emulator from './emulator.js';
import keys from './keys.js';
import offering from './offering.js';
import contract from './contract.js';
import server from './server.js';
import agent from './agent.js';

/**
 * Every command, in the order --help lists them. Declarations are small and load together (one
 * chunk of the bundled CLI); each command's implementation (drivers, store, catalog, emulator) is
 * imported by its handler when it runs.
 */
export const COMMANDS: readonly CommandSpec[] = [demo, providers, offers, deploy, ls, show, ssh, start, stop, reboot, reinstall, destroy, snapshot, inventory, history, costs, gc, store, doctor, config, emulator, keys, offering, contract, server, agent];
