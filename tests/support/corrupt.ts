// Every way of damaging a recording the fuzz tests use, by name.

import { FIELD_MUTATORS } from './corrupt-fields';
import { LINE_MUTATORS } from './corrupt-lines';

export type { Mutation, Mutator } from './corrupt-core';

export const MUTATORS = { ...LINE_MUTATORS, ...FIELD_MUTATORS };
