/* libFuzzer harness of src/ingest/boamps.c (BoAmps reports): its detector and parser on any
 * bytes, measurements checked and dropped (see fuzz.h).  Seeds: tests/fuzz/seed (Boavizta's
 * example, the fixtures' reports). */
#include "fuzz.h"

FZ_FORMAT_HARNESS("boamps", "report.boamps.json")
