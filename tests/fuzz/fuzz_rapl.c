/* libFuzzer harness of src/ingest/rapl.c (RAPL counters): its detector and parser
 * on any bytes, measurements checked and dropped (see fuzz.h).  Seeds: tests/fuzz/seed. */
#include "fuzz.h"

FZ_FORMAT_HARNESS("rapl", "rapl.csv")
