/* libFuzzer harness of src/ingest/carbontracker.c (carbontracker): its detector and parser
 * on any bytes, measurements checked and dropped (see fuzz.h).  Seeds: tests/fuzz/seed. */
#include "fuzz.h"

FZ_FORMAT_HARNESS("carbontracker", "2024-01-25T160217Z_carbontracker_output.log")
