/* libFuzzer harness of src/ingest/zeus.c (Zeus monitor): its detector and parser
 * on any bytes, measurements checked and dropped (see fuzz.h).  Seeds: tests/fuzz/seed. */
#include "fuzz.h"

FZ_FORMAT_HARNESS("zeus", "zeus_monitor.csv")
