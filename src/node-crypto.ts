/**
 * node:crypto, loaded on first use. Loading it costs about 3 ms of a CLI
 * start (Node compiles its internal modules on demand), and a plain lint
 * never hashes: only --fix (its convergence check and temp-file names) and
 * baselines do.
 */
import { createRequire } from 'node:module';
import type * as crypto from 'node:crypto';

type NodeCrypto = typeof crypto;

let loaded: NodeCrypto | undefined;

export function nodeCrypto(): NodeCrypto {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto);
}
