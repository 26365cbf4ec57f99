/* Shared part of the libFuzzer harnesses (tests/fuzz/fuzz_<name>.c, one per parser; `make
 * fuzz` builds and runs them).  The input is written to a memfd and read back through the
 * real wp_reader (so gzip input is inflated as in an ingest); the format's detector sees
 * its head and its parser hands what it reads to a sink that checks every promise of
 * struct wp_measurement (strings present and UTF-8, numbers finite or NAN, energies,
 * durations and emissions not negative) and drops it, so no store is needed.  A broken
 * promise aborts, which libFuzzer reports as a crash.  Header-only: each harness is one
 * translation unit. */
#ifndef WP_TESTS_FUZZ_H
#define WP_TESTS_FUZZ_H

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "util/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_PEEK 65536 /* what the ingest driver shows the detectors */

/* The one input file of the process: a memfd, opened by path as a user's file would be. */
static struct {
    int fd;
    char path[64];
} fz_in = {-1, ""};

static inline void fz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static inline void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz check failed: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* Creates the memfd once (from LLVMFuzzerInitialize). */
static inline void fz_init(void)
{
    if (fz_in.fd >= 0)
        return;
    fz_in.fd = memfd_create("wattprint-fuzz", MFD_CLOEXEC);
    if (fz_in.fd < 0)
        fz_fail("memfd_create: %s", strerror(errno));
    snprintf(fz_in.path, sizeof fz_in.path, "/proc/self/fd/%d", fz_in.fd);
}

static inline void fz_write_all(int fd, const uint8_t *data, size_t size, const char *what)
{
    size_t done = 0;
    while (done < size) {
        ssize_t k = pwrite(fd, data + done, size - done, (off_t)done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            fz_fail("write %s: %s", what, strerror(errno));
        done += (size_t)k;
    }
}

/* Makes the memfd hold exactly data[0..size). */
static inline void fz_put(const uint8_t *data, size_t size)
{
    fz_init();
    if (ftruncate(fz_in.fd, 0) != 0)
        fz_fail("ftruncate: %s", strerror(errno));
    fz_write_all(fz_in.fd, data, size, "memfd");
}

/* Writes data[0..size) to a regular file (for a parser that reads a file beside its input). */
static inline void fz_put_file(const char *path, const uint8_t *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        fz_fail("open %s: %s", path, strerror(errno));
    fz_write_all(fd, data, size, path);
    if (close(fd) != 0)
        fz_fail("close %s: %s", path, strerror(errno));
}

/* ---- checks ------------------------------------------------------------------------- */

static inline void fz_str(const char *what, const char *s)
{
    if (!s)
        fz_fail("%s is NULL", what);
    if (!wp_utf8_valid(s, strlen(s)))
        fz_fail("%s is not valid UTF-8: \"%.80s\"", what, s);
}

static inline void fz_num(const char *what, double x)
{
    if (isinf(x))
        fz_fail("%s is infinite (%g)", what, x);
}

/* An energy, duration or emission: NAN (unknown) or a finite number >= 0. */
static inline void fz_amount(const char *what, double x)
{
    if (!isnan(x) && !(isfinite(x) && x >= 0))
        fz_fail("%s is %.17g: neither NAN nor a finite non-negative number", what, x);
}

static inline void fz_diag(const char *what, const struct wp_diag *d)
{
    if (!memchr(d->msg, '\0', sizeof d->msg))
        fz_fail("%s: message not NUL-terminated", what);
    if (d->line < 0 || d->col < 0)
        fz_fail("%s: negative line %ld or column %ld", what, d->line, d->col);
    (void)strlen(d->file);
}

static inline void fz_error(const char *what, enum wp_err e, const struct wp_diag *d)
{
    if (e < WP_OK || e > WP_ERR_EMPTY)
        fz_fail("%s: error %d is not an enum wp_err", what, (int)e);
    if (e)
        fz_diag(what, d);
}

/* ---- the sink ----------------------------------------------------------------------- */

struct fz_ctx {
    bool skip_bad_rows;
    long long measurements, bad_rows;
};

static inline enum wp_err fz_measurement(void *ctx, const struct wp_measurement *m,
                                         const char *group_key, struct wp_diag *d)
{
    struct fz_ctx *c = ctx;
    (void)d;
    c->measurements++;
    if (m->line < 0)
        fz_fail("measurement line %ld", m->line);
    static const struct {
        const char *name;
        size_t off;
    } strs[] = {
#define S(f) {#f, offsetof(struct wp_measurement, f)}
        S(phase), S(run_label), S(project_name), S(experiment_label), S(started_at),
        S(tracking_mode), S(tool_name), S(tool_version), S(cpu_model), S(gpu_model), S(os),
        S(python_version), S(country_name), S(country_iso_code), S(region),
        S(cloud_provider), S(cloud_region), S(on_cloud),
#undef S
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        fz_str(strs[i].name, *(const char *const *)((const char *)m + strs[i].off));
    fz_amount("duration_s", m->duration_s);
    fz_amount("energy_j", m->energy_j);
    fz_amount("cpu_energy_j", m->cpu_energy_j);
    fz_amount("gpu_energy_j", m->gpu_energy_j);
    fz_amount("ram_energy_j", m->ram_energy_j);
    fz_amount("emissions_g", m->emissions_g);
    fz_num("emissions_rate_g_per_s", m->emissions_rate_g_per_s);
    fz_num("cpu_power_w", m->cpu_power_w);
    fz_num("gpu_power_w", m->gpu_power_w);
    fz_num("ram_power_w", m->ram_power_w);
    fz_num("pue", m->pue);
    fz_num("water_l", m->water_l);
    fz_num("longitude", m->longitude);
    fz_num("latitude", m->latitude);
    fz_num("cpu_count", m->cpu_count);
    fz_num("gpu_count", m->gpu_count);
    fz_num("ram_total_bytes", m->ram_total_bytes);
    if (m->n_extra && (!m->extra_keys || !m->extra_values))
        fz_fail("%zu extras without arrays", m->n_extra);
    for (size_t i = 0; i < m->n_extra; i++) {
        fz_str("extra key", m->extra_keys[i]);
        fz_str("extra value", m->extra_values[i]);
    }
    if (group_key)
        fz_str("group_key", group_key);
    return WP_OK;
}

/* Sets the row aside (--skip-bad-rows) or stops the file, as the input's mode byte says. */
static inline enum wp_err fz_bad_row(void *ctx, const char *raw, struct wp_diag *d)
{
    struct fz_ctx *c = ctx;
    c->bad_rows++;
    if (raw)
        (void)strlen(raw);
    fz_diag("bad row", d);
    return c->skip_bad_rows ? WP_OK : WP_ERR_PARSE;
}

static inline enum wp_err fz_file_labels(void *ctx, const char *origin,
                                         const struct wp_ingest_labels *l, struct wp_diag *d)
{
    (void)ctx;
    (void)d;
    fz_str("label origin", origin);
    if (l->model)
        fz_str("label model", l->model);
    if (l->task)
        fz_str("label task", l->task);
    if (l->dataset)
        fz_str("label dataset", l->dataset);
    if (l->inferences < 0 || l->batch_size < 0)
        fz_fail("negative inferences %lld or batch size %lld", l->inferences, l->batch_size);
    return WP_OK;
}

static inline void fz_on_report(void *ctx, enum wp_level level, const struct wp_diag *d)
{
    (void)ctx;
    if (level != WP_NOTE && level != WP_WARN && level != WP_ERROR)
        fz_fail("report level %d", (int)level);
    fz_diag("report", d);
}

static const struct wp_reporter fz_reporter = {fz_on_report, NULL};

/* ---- one input ---------------------------------------------------------------------- */

/* Runs format `format` on the file at `path` as the ingest driver does (peek, detect with
 * file name `name`, parse, finish), with the sink above and the format options `fo` (NULL
 * for none).  mode: bit 0 sets bad rows aside, bits 1-2 both set pretend the first half of
 * the file was ingested before (append). */
static inline void fz_parse_path_opts(const char *format, const char *path, const char *name,
                                      unsigned mode, long long half,
                                      const struct wp_format_opts *fo)
{
    const struct wp_format *fmt = wp_format_find(format);
    if (!fmt)
        fz_fail("no format %s", format);
    struct wp_diag d = {0};
    struct wp_reader *r = NULL;
    enum wp_err e = wp_reader_open(path, &r, &d);
    fz_error("open", e, &d);
    if (e)
        return;
    const char *head;
    size_t len;
    e = wp_reader_peek(r, FZ_PEEK, &head, &len, &d);
    fz_error("peek", e, &d);
    /* generic is never detected */
    if (!e && wp_format_is_detected(fmt) && len > 0 && !memchr(head, '\0', len)) {
        char why[128];
        memset(why, 0x55, sizeof why);
        int score = wp_format_detect(fmt, head, len, name, why, sizeof why);
        if (score < 0 || score > 100)
            fz_fail("detect score %d", score);
        if (!score && !memchr(why, '\0', sizeof why))
            fz_fail("detect gave 0 without a NUL-terminated reason");
    }
    if (e) {
        wp_reader_close(r);
        return;
    }
    struct fz_ctx c = {.skip_bad_rows = mode & 1};
    struct wp_format_opts fopts = {0};
    if (fo)
        fopts = *fo;
    struct wp_sink sink = {
        .measurement = fz_measurement,
        .bad_row = fz_bad_row,
        .file_labels = fz_file_labels,
        .ctx = &c,
        .rep = &fz_reporter,
        .fmt = &fopts,
        .skip_until = (mode & 6) == 6 ? half : 0,
    };
    memset(&d, 0, sizeof d);
    e = fmt->parse(r, &sink, &d);
    fz_error("parse", e, &d);
    if (!memchr(sink.no_data, '\0', sizeof sink.no_data))
        fz_fail("no_data not NUL-terminated");
    if (sink.no_data[0])
        fz_str("no_data", sink.no_data);
    if (sink.consumed < 0 || sink.consumed > wp_reader_offset(r))
        fz_fail("consumed %lld outside [0, %lld]", sink.consumed, wp_reader_offset(r));
    if (!e) {
        char sha[65];
        long long raw_size;
        memset(&d, 0, sizeof d);
        e = wp_reader_finish(r, sha, &raw_size, &d);
        fz_error("finish", e, &d);
        if (!e && (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64))
            fz_fail("sha256 \"%s\"", sha);
    }
    wp_reader_close(r);
}

static inline void fz_parse_path(const char *format, const char *path, const char *name,
                                 unsigned mode, long long half)
{
    fz_parse_path_opts(format, path, name, mode, half, NULL);
}

/* The mode byte: the middle byte of the input (see fz_parse_path). */
static inline unsigned fz_mode(const uint8_t *data, size_t size)
{
    return size ? data[size / 2] : 0;
}

/* Runs format `format` on the input as a file named `name`. */
static inline void fz_parse(const char *format, const char *name, const uint8_t *data,
                            size_t size)
{
    fz_put(data, size);
    fz_parse_path(format, fz_in.path, name, fz_mode(data, size), (long long)size / 2);
}

/* The set-up of a harness that needs nothing but the input file. */
#define FZ_INITIALIZE                                                                      \
    int LLVMFuzzerInitialize(int *argc, char ***argv)                                      \
    {                                                                                      \
        (void)argc;                                                                        \
        (void)argv;                                                                        \
        fz_init();                                                                         \
        return 0;                                                                          \
    }

/* A harness for one format is these two functions. */
#define FZ_FORMAT_HARNESS(format, name)                                                    \
    FZ_INITIALIZE                                                                          \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                          \
    {                                                                                      \
        fz_parse(format, name, data, size);                                                \
        return 0;                                                                          \
    }

#endif
