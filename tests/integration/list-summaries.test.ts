import { esListContext } from './list-es-context';
import { listSuite } from './list-suite';

// The recordings list on the summaries index
// (lib/sources/elasticsearch/summaries/list.ts): the same suite, the same
// oracle, as the list over the messages, after the summarizer has backfilled
// the fleet (and caught up with what each live test appends).

listSuite(esListContext({ summaries: true }));
