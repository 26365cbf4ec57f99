/* libFuzzer harness of the manifest reader (src/ingest/manifest.c) and the labelling it
 * drives (label.c, the store's rules and labels).  An in-memory store opened once holds
 * three runs of a small CodeCarbon log and one of a task-level log, so that rules match
 * something; each input is applied as a manifest inside a transaction that is rolled back,
 * leaving the store as it was.  Seeds: tests/fuzz/seed. */
#include <sys/stat.h>

#include "fuzz.h"
#include "ingest/label.h"

/* Runs to label, with project names, run ids and experiment ids to match, in files named
 * as the synthetic and study logs are (for `file` globs). */
static const char runs_csv[] =
    "timestamp,project_name,run_id,experiment_id,duration,emissions,cpu_energy,gpu_energy,"
    "ram_energy,energy_consumed\n"
    "2023-09-10T21:06:08,cardiffnlp/twitter-roberta-base-sentiment-latest,"
    "c18edc68-5e15-4ef7-bb49-700ea5ac09ef,5b0fa12a-3dd7-45bb-9766-cc326314d9f1,8.7,0.00033,"
    "0.0001,0.0012,0.0010,0.0023\n"
    "2023-09-10T21:06:27,distilbert-base-uncased-finetuned-sst-2-english,"
    "b945d8cb-026e-45c6-8833-7842110ea5e8,5b0fa12a-3dd7-45bb-9766-cc326314d9f1,6.2,0.00023,"
    "0.00007,0.0009,0.0007,0.00167\n"
    "2023-09-10T21:06:59,siebert/sentiment-roberta-large-english,base,,16.2,0.00064,"
    "0.0002,0.0025,0.0019,0.0046\n";
static const char tasks_csv[] =
    "task_name,timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
    "load model,2024-01-15T10:00:00,gpt2,a1b2,1.5,0.0001,0.001\n"
    "query model,2024-01-15T10:00:02,gpt2,a1b2,3.5,0.0002,0.002\n";

static struct {
    struct wp_store *s;
    struct wp_store_counts before; /* what every rollback must leave */
    char dir[64];
    char files[2][128];
} fz_m;

static void remove_dir(void)
{
    wp_store_close(fz_m.s);
    for (int i = 0; i < 2; i++)
        unlink(fz_m.files[i]);
    rmdir(fz_m.dir);
}

static void ingest(int i, const char *name, const char *text)
{
    struct wp_ingest_opts o = {.rep = &fz_reporter};
    struct wp_file_result res;
    struct wp_diag d = {0};
    snprintf(fz_m.files[i], sizeof fz_m.files[i], "%s/%s", fz_m.dir, name);
    fz_put_file(fz_m.files[i], (const uint8_t *)text, strlen(text));
    if (wp_ingest_file(fz_m.s, fz_m.files[i], &o, &res, &d) != WP_OK || !res.rows_added)
        fz_fail("setup: cannot ingest %s: %s", name, d.msg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct wp_diag d = {0};
    struct stat st;
    fz_init();
    if (wp_store_open(":memory:", &fz_m.s, &d) != WP_OK)
        fz_fail("setup: cannot open an in-memory store: %s", d.msg);
    const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(fz_m.dir, sizeof fz_m.dir, "%s/wattprint-fuzz.XXXXXX", base);
    if (!mkdtemp(fz_m.dir))
        fz_fail("mkdtemp %s: %s", fz_m.dir, strerror(errno));
    atexit(remove_dir);
    ingest(0, "emissions_base_c18edc68.csv", runs_csv);
    ingest(1, "text_generation__wikitext.csv", tasks_csv);
    if (wp_store_counts(fz_m.s, &fz_m.before, &d) != WP_OK)
        fz_fail("setup: counts: %s", d.msg);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wp_diag d = {0};
    struct wp_label_stats stats;
    size_t n_rules = 0;
    fz_put(data, size);
    enum wp_err e = wp_store_begin(fz_m.s, &d);
    if (e)
        fz_fail("begin: %s", d.msg);
    memset(&stats, 0x55, sizeof stats);
    e = wp_manifest_apply(fz_m.s, fz_in.path, &fz_reporter, &n_rules, &stats, &d);
    fz_error("manifest", e, &d);
    wp_store_rollback(fz_m.s);
    struct wp_store_counts after;
    if (wp_store_counts(fz_m.s, &after, &d) != WP_OK)
        fz_fail("counts: %s", d.msg);
    if (memcmp(&after, &fz_m.before, sizeof after) != 0)
        fz_fail("the rollback left the store changed");
    if (!e) {
        if (!memchr(stats.conflict_origin, '\0', sizeof stats.conflict_origin) ||
            !memchr(stats.conflict_field, '\0', sizeof stats.conflict_field) ||
            !memchr(stats.conflict_first, '\0', sizeof stats.conflict_first))
            fz_fail("label stats not NUL-terminated");
        if (stats.runs_labeled < 0 || stats.runs_labeled > 4 || stats.conflicts)
            fz_fail("%lld runs labelled, %lld conflicts", stats.runs_labeled, stats.conflicts);
    }
    return 0;
}
