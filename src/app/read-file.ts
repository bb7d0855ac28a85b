import { readFile as readFileCallback } from 'node:fs';
import { promisify } from 'node:util';

/**
 * node:fs's readFile as a promise, for modules on `baton gate`'s path: importing node:fs/promises loads
 * readline and streams with it, ~2 ms of the command's start-up.
 */
export const readFile = promisify(readFileCallback);
