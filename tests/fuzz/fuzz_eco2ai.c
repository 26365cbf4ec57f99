/* libFuzzer harness of src/ingest/eco2ai.c (eco2AI): its detector and parser
 * on any bytes, measurements checked and dropped (see fuzz.h).  Seeds: tests/fuzz/seed. */
#include "fuzz.h"

FZ_FORMAT_HARNESS("eco2ai", "emission.csv")
