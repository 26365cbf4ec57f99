/* Whether each component energy of a measurement was measured or modelled, from what the
 * log says (the tool, its version, the logged powers and GPU count).  Rules only: the
 * driver calls it on every measurement before it is stored; it never reads a file. */
#ifndef WP_INGEST_BASIS_H
#define WP_INGEST_BASIS_H

#include "store/store.h"

/* Sets m->cpu_basis, gpu_basis and ram_basis (WP_BASIS_* of store.h, "" when the log does
 * not tell) for each component whose energy m holds and whose mark the parser left empty
 * (NULL or ""); a component without energy keeps "".  The marks are static strings. */
void wp_basis_mark(struct wp_measurement *m);

#endif
