import * as headless from '@xterm/headless';
import type { Terminal } from '@xterm/headless';

/**
 * @xterm/headless's Terminal class. The package is a CommonJS bundle:
 * bundlers give its exports by name, Node's ESM loader (the benchmarks, the
 * export worker thread) puts them under `default`.
 */
export function headlessTerminalClass(): typeof Terminal {
  const mod: Partial<typeof headless> & { default?: Partial<typeof headless> } = headless;
  const ctor = mod.Terminal ?? mod.default?.Terminal;
  if (!ctor) throw new Error('@xterm/headless has no Terminal export');
  return ctor;
}
