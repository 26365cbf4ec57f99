/* libFuzzer harness of src/ingest/generic.c (generic CSV with a column map): the bytes
 * before the first NUL are a map file (wp_generic_map_parse, whose errors are checked),
 * those after it the CSV it maps; no NUL: the input is the CSV under a fixed map.
 * Measurements are checked and dropped (see fuzz.h).  Seeds: tests/fuzz/seed. */
#include "fuzz.h"
#include "ingest/generic.h"

static const char fixed_map[] = "energy_kwh = energy\nduration_s = duration\nmodel = model\n"
                                "task = task\nrun_id = run\n";

FZ_INITIALIZE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    const char *map = nul ? (const char *)data : fixed_map;
    size_t map_len = nul ? (size_t)(nul - data) : sizeof fixed_map - 1;
    const uint8_t *csv = nul ? nul + 1 : data;
    size_t csv_len = nul ? size - map_len - 1 : size;
    struct wp_generic_map *m = NULL;
    struct wp_diag d = {0};
    enum wp_err e = wp_generic_map_parse(map, map_len, "fuzz.map", false, &m, &d);
    fz_error("map", e, &d);
    if (e) {
        if (m)
            fz_fail("a map that failed is not NULL");
        return 0;
    }
    if (!m || !wp_generic_map_size(m))
        fz_fail("a parsed map is empty");
    fz_put(csv, csv_len);
    const struct wp_format_opts fo = {.generic_map = m};
    fz_parse_path_opts("generic", fz_in.path, "runs.csv", fz_mode(csv, csv_len),
                       (long long)csv_len / 2, &fo);
    wp_generic_map_free(m);
    return 0;
}
