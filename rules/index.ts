/** Every rule nginx-lint runs, in the order their findings are computed. */
import type { Rule } from '../src/engine/rule.js';
import { backendNotFound } from './backend-not-found.js';
import { fpmPoolCollision } from './fpm-pool-collision.js';

export const RULES: readonly Rule[] = [backendNotFound, fpmPoolCollision];
