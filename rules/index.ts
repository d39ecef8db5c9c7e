/** Every rule nginx-lint runs, in the order their findings are computed. */
import type { Rule } from '../src/engine/rule.js';
import { backendNotFound } from './backend-not-found.js';
import { fpmPoolCollision } from './fpm-pool-collision.js';
import { fastcgiScriptFilename } from './fastcgi-script-filename.js';
import { fpmSocketPermissions } from './fpm-socket-permissions.js';
import { fpmListenCollision } from './fpm-listen-collision.js';
import { fpmListenOpen } from './fpm-listen-open.js';
import { gunicornSocketPermissions } from './gunicorn-socket-permissions.js';
import { phpFixPathinfo } from './php-fix-pathinfo.js';
import { fpmLimitExtensions } from './fpm-limit-extensions.js';
import { upstreamBuffers } from './upstream-buffers.js';
import { bodySizeExceedsPhp } from './body-size-exceeds-php.js';
import { gunicornTimeoutOrder } from './gunicorn-timeout-order.js';
import { fpmTimeoutOrder } from './fpm-timeout-order.js';
import { phpMaxExecutionTimeOrder } from './php-max-execution-time-order.js';
import { upstreamKeepaliveProtocol } from './upstream-keepalive-protocol.js';
import { upstreamKeepaliveTimeout } from './upstream-keepalive-timeout.js';
import { fastcgiKeepConnMissing } from './fastcgi-keep-conn-missing.js';
import { keepaliveWrongModule } from './keepalive-wrong-module.js';

export const RULES: readonly Rule[] = [backendNotFound, fpmPoolCollision, fastcgiScriptFilename, fpmSocketPermissions, fpmListenCollision, fpmListenOpen, gunicornSocketPermissions, phpFixPathinfo, fpmLimitExtensions, upstreamBuffers, bodySizeExceedsPhp, gunicornTimeoutOrder, fpmTimeoutOrder, phpMaxExecutionTimeOrder, upstreamKeepaliveProtocol, upstreamKeepaliveTimeout, fastcgiKeepConnMissing, keepaliveWrongModule];
