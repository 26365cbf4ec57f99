/* libFuzzer harness of src/ingest/ml_energy.c (ML.ENERGY leaderboard): its detector and parser
 * on any bytes, measurements checked and dropped (see fuzz.h).  Seeds: tests/fuzz/seed. */
#include "fuzz.h"

FZ_FORMAT_HARNESS("ml-energy", "leaderboard.json")
