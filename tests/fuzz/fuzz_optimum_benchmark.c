/* libFuzzer harness of src/ingest/optimum_benchmark.c: its detector and parser on any bytes,
 * measurements checked and dropped (see fuzz.h).  The parser reads the
 * benchmark_config.json beside a benchmark_report.json, so the input is written as a
 * report in a directory of its own (on tmpfs): the bytes before the first NUL are the
 * report, those after it the config beside it (no NUL: no config).  Bit 3 of the mode
 * byte (fz_mode) names the report GPU_ENERGY_SUMMARY.json instead, with no
 * benchmark_report.json beside it: the parser reads an AI Energy Score summary only then
 * (beside a report it defers to the report).  Seeds: tests/fuzz/seed. */
#include <sys/stat.h>

#include "fuzz.h"

static struct {
    char dir[64], report[96], config[96], summary[96];
} fz_dir;

static void remove_dir(void)
{
    unlink(fz_dir.report);
    unlink(fz_dir.config);
    unlink(fz_dir.summary);
    rmdir(fz_dir.dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct stat st;
    const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(fz_dir.dir, sizeof fz_dir.dir, "%s/wattprint-fuzz.XXXXXX", base);
    if (!mkdtemp(fz_dir.dir))
        fz_fail("mkdtemp %s: %s", fz_dir.dir, strerror(errno));
    snprintf(fz_dir.report, sizeof fz_dir.report, "%s/benchmark_report.json", fz_dir.dir);
    snprintf(fz_dir.config, sizeof fz_dir.config, "%s/benchmark_config.json", fz_dir.dir);
    snprintf(fz_dir.summary, sizeof fz_dir.summary, "%s/GPU_ENERGY_SUMMARY.json", fz_dir.dir);
    atexit(remove_dir);
    return 0;
}

static void drop(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        fz_fail("unlink %s: %s", path, strerror(errno));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t report_size = nul ? (size_t)(nul - data) : size;
    unsigned mode = fz_mode(data, size);
    bool is_summary = mode & 8;
    const char *path = is_summary ? fz_dir.summary : fz_dir.report;
    drop(is_summary ? fz_dir.report : fz_dir.summary);
    fz_put_file(path, data, report_size);
    if (nul)
        fz_put_file(fz_dir.config, nul + 1, size - report_size - 1);
    else
        drop(fz_dir.config);
    fz_parse_path("optimum-benchmark", path, strrchr(path, '/') + 1, mode,
                  (long long)report_size / 2);
    return 0;
}
