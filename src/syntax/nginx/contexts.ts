import type { ContextName } from './ast.js';

/** The contexts a user can name with --context, outermost first. */
export const CONTEXT_NAMES = ['main', 'events', 'http', 'server', 'location', 'upstream', 'stream', 'stream_server', 'stream_upstream', 'mail', 'mail_server', 'if', 'lif', 'limit_except', 'map', 'types', 'geo', 'split_clients'] as const satisfies readonly ContextName[];
