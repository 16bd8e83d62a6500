import { esListContext } from './list-es-context';
import { listSuite } from './list-suite';

// The recordings list over the messages (lib/sources/elasticsearch/list.ts):
// what a deployment lists from while its summaries are not ready.

listSuite(esListContext({ summaries: false }));
