/* libFuzzer harness of src/ingest/nvidia_smi.c (nvidia-smi): its detector and parser
 * on any bytes, measurements checked and dropped (see fuzz.h).  Seeds: tests/fuzz/seed. */
#include "fuzz.h"

FZ_FORMAT_HARNESS("nvidia-smi", "gpu_power.csv")
