/** The one ajv instance of the config module (loaded only when a config file exists). */
import { Ajv } from 'ajv';

let ajv: Ajv | undefined;

/** Every error (not just the first), verbose (for messages), defaults filled in. */
export function configAjv(): Ajv {
  // strict off: plugin option schemas may carry keywords ajv does not know (editor hints); the config schema's own strictness is tested
  return (ajv ??= new Ajv({ allErrors: true, verbose: true, useDefaults: true, strict: false }));
}
