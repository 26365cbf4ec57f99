/* Tests of src/ingest/label.c: rules found through the index (plain values, plain file
 * names with or without .gz, overlapping globs) label runs exactly as trying every rule in
 * order of definition does: the first rule of the highest rank wins each field, later
 * disagreeing rules of that rank are counted as disagreements, the command line outranks a
 * manifest; runs sharing a list of rules share the labels; a rule that matches nothing is
 * counted.  Labels decided as runs are added (wp_label_pre_*) are only the certain ones. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "ingest/ingest.h"
#include "ingest/label.h"

/* Writes text to dir/name into path. */
static void put_file(char *path, size_t size, const char *dir, const char *name,
                     const char *text)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* One CodeCarbon-like row per run, the first of project p, the second of project q; each
 * file its own day (a file with the same rows as another is a copy, not ingested). */
static void write_file(const char *path, int day, bool gz)
{
    char text[256];
    snprintf(text, sizeof text,
             "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
             "2024-01-%02dT10:00:00,p,,10,0.1,1\n"
             "2024-01-%02dT11:00:00,q,,10,0.1,2\n",
             day, day);
    if (gz) {
        gzFile g = gzopen(path, "wb");
        assert_non_null(g);
        assert_int_equal(gzwrite(g, text, (unsigned)strlen(text)), (int)strlen(text));
        assert_int_equal(gzclose(g), Z_OK);
        return;
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

struct run_labels {
    char file[64], model[32], task[32], dataset[32];
    long long inferences;
};

struct seen {
    size_t n;
    struct run_labels v[8];
};

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct seen *s = ctx;
    if (s->n == 8)
        return 1;
    struct run_labels *x = &s->v[s->n++];
    snprintf(x->file, sizeof x->file, "%s", r->source_file);
    snprintf(x->model, sizeof x->model, "%s", r->model);
    snprintf(x->task, sizeof x->task, "%s", r->task);
    snprintf(x->dataset, sizeof x->dataset, "%s", r->dataset);
    x->inferences = r->inferences;
    return 0;
}

/* The labels of the run of `file` whose model/task/dataset came from project row k. */
static const struct run_labels *run_of(const struct seen *s, const char *file, int k)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].file, file) == 0 && k-- == 0)
            return &s->v[i];
    fail_msg("no run of %s", file);
    return NULL;
}

/* The warnings of a labelling pass, one per line. */
struct said {
    char text[2048];
};

static void on_report(void *ctx, enum wp_level level, const struct wp_diag *d)
{
    struct said *w = ctx;
    size_t n = strlen(w->text);
    if (level == WP_WARN)
        snprintf(w->text + n, sizeof w->text - n, "%s\n", d->msg);
}

static struct wp_label_rule rule(const char *origin, const char *file, const char *project,
                                 const char *model, const char *task, const char *dataset,
                                 long long inferences)
{
    return (struct wp_label_rule){
        .origin = origin, .match_file = file, .match_project = project, .model = model,
        .task = task, .dataset = dataset, .inferences = inferences,
        .training_energy_j = NAN,
    };
}

static void test_label_overlapping_globs_keep_the_order_of_definition(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_label.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char f12[128], f2[128], f3[128];
    snprintf(f12, sizeof f12, "%s/run_12.csv", dir);
    snprintf(f2, sizeof f2, "%s/run_2.csv", dir);
    snprintf(f3, sizeof f3, "%s/run_3.csv.gz", dir);
    write_file(f12, 1, false);
    write_file(f2, 2, false);
    write_file(f3, 3, true);
    struct wp_store *s = NULL;
    struct wp_diag d = {0};
    assert_int_equal(wp_store_open(":memory:", &s, &d), WP_OK);
    struct wp_ingest_opts o = {0};
    struct wp_file_result r;
    const char *files[] = {f12, f2, f3};
    for (int i = 0; i < 3; i++) { /* one transaction each, no rules yet */
        assert_int_equal(wp_ingest_file(s, files[i], &o, &r, &d), WP_OK);
        assert_int_equal(r.outcome, WP_FILE_INGESTED);
    }
    /* in order of definition: a broad glob, a narrower one, a plain name, a project, a
     * plain name matching the .gz file without its ending, a rule for no file */
    struct wp_label_rule rules[] = {
        rule("m.csv:2", "run_*.csv*", NULL, "A", NULL, NULL, 0),
        rule("m.csv:3", "run_1?.csv", NULL, "B", "T1", NULL, 0),
        rule("m.csv:4", "run_12.csv", NULL, "C", "T2", "D12", 0),
        rule("m.csv:5", NULL, "q", NULL, "TQ", NULL, 50),
        rule("m.csv:6", "run_3.csv", NULL, NULL, NULL, "D3", 7),
        rule("m.csv:7", "nothing_[0-9].csv", NULL, "X", NULL, NULL, 0),
    };
    struct wp_label_stats st;
    struct said said = {""};
    struct wp_reporter rep = {on_report, &said};
    assert_int_equal(wp_store_begin(s, &d), WP_OK);
    assert_int_equal(wp_store_rules_put(s, "m.csv", rules, 6, &d), WP_OK);
    assert_int_equal(wp_label_apply(s, 0, &rep, &st, &d), WP_OK);
    assert_string_equal(said.text,
                        "run 1: m.csv:2 and m.csv:3 give different model; keeping the first\n"
                        "run 1: m.csv:2 and m.csv:4 give different model; keeping the first\n"
                        "run 1: m.csv:3 and m.csv:4 give different task; keeping the first\n"
                        "run 2: m.csv:2 and m.csv:3 give different model; keeping the first\n"
                        "run 2: m.csv:2 and m.csv:4 give different model; keeping the first\n"
                        "run 2: m.csv:3 and m.csv:4 give different task; keeping the first\n"
                        "run 2: m.csv:3 and m.csv:5 give different task; keeping the first\n"
                        "run 6: m.csv:5 and m.csv:6 give different inferences; keeping the "
                        "first\n"
                        "m.csv:7: matches no run\n");
    assert_int_equal(wp_store_commit(s, &d), WP_OK);
    /* run_12.csv's two runs: A beats B and C (2 disagreements each), T1 beats T2 (1 each),
     * and for project q TQ is a third task (1 more); run_3.csv.gz's run of q: 50 inferences
     * (defined first) beat 7 (1): 3 + 4 + 1 = 8 */
    assert_int_equal(st.conflicts, 8);
    assert_string_equal(st.conflict_field, "model");
    assert_string_equal(st.conflict_first, "m.csv:2");
    assert_string_equal(st.conflict_origin, "m.csv:3");
    assert_int_equal(st.rules_unmatched, 1);
    assert_int_equal(st.runs_labeled, 6);
    struct seen seen = {0};
    struct wp_run_filter all = {.by_run_id = true};
    assert_int_equal(wp_store_each_run(s, &all, on_run, &seen, &d), WP_OK);
    assert_int_equal(seen.n, 6);
    const struct run_labels *x = run_of(&seen, "run_12.csv", 0);
    assert_string_equal(x->model, "A");
    assert_string_equal(x->task, "T1");
    assert_string_equal(x->dataset, "D12");
    x = run_of(&seen, "run_12.csv", 1); /* project q: its task comes after T1 */
    assert_string_equal(x->task, "T1");
    assert_int_equal(x->inferences, 50);
    x = run_of(&seen, "run_2.csv", 0);
    assert_string_equal(x->model, "A");
    assert_string_equal(x->task, "");
    x = run_of(&seen, "run_2.csv", 1);
    assert_string_equal(x->task, "TQ");
    x = run_of(&seen, "run_3.csv.gz", 0); /* the glob and the plain name without .gz */
    assert_string_equal(x->model, "A");
    assert_string_equal(x->dataset, "D3");
    assert_int_equal(x->inferences, 7);
    x = run_of(&seen, "run_3.csv.gz", 1); /* q's 50 was defined first */
    assert_int_equal(x->inferences, 50);
    assert_string_equal(x->task, "TQ");
    /* the command line outranks the manifest whatever the order of definition */
    struct wp_label_rule cli = rule("command line", NULL, NULL, "Z", NULL, NULL, 0);
    cli.match_source_id = 1; /* the first file ingested */
    assert_int_equal(wp_store_begin(s, &d), WP_OK);
    assert_int_equal(wp_store_rules_put(s, NULL, &cli, 1, &d), WP_OK);
    assert_int_equal(wp_label_apply(s, 0, NULL, &st, &d), WP_OK);
    assert_int_equal(wp_store_commit(s, &d), WP_OK);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(wp_store_each_run(s, &all, on_run, &seen, &d), WP_OK);
    assert_string_equal(run_of(&seen, "run_12.csv", 0)->model, "Z");
    assert_string_equal(run_of(&seen, "run_12.csv", 1)->model, "Z");
    assert_string_equal(run_of(&seen, "run_2.csv", 0)->model, "A");
    /* the command-line rule comes last in order of definition: the manifest's rules still
     * disagree among themselves before it decides the model */
    assert_int_equal(st.conflicts, 8);
    assert_int_equal(st.runs_labeled, 6);
    wp_store_close(s);
    for (int i = 0; i < 3; i++)
        unlink(files[i]);
    rmdir(dir);
}

static struct wp_run_keys keys(const char *project, const char *file, const char *format)
{
    return (struct wp_run_keys){.project_name = project, .experiment_label = "",
                                .run_label = "", .file_name = file, .source_id = 1,
                                .format = format};
}

/* Labels decided as runs are added are those the pass will give, and only when certain:
 * a run whose rules disagree, whose labels a later rule may still complete, or whose
 * file's format states labels of its own gets none; names and experiments may be added
 * only in an empty database, until the first such run; a manifest's earlier rules give
 * way to the ones read now. */
static void test_label_pre_decides_only_certain_labels(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_label.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char m[128];
    put_file(m, sizeof m, dir, "m.csv",
             "project_name,file,model,task,dataset\n"
             "p,,A,T,D\n"       /* complete */
             "q,,B,,\n"         /* a later rule (by file) may give its task and dataset */
             ",late_*.csv,,T2,D2\n"
             "c,,C1,T,D\n"      /* two models for c: a disagreement */
             "c,,C2,T,D\n");
    struct wp_store *s = NULL;
    struct wp_diag d = {0};
    assert_int_equal(wp_store_open(":memory:", &s, &d), WP_OK);
    /* the manifest's earlier rules, replaced by the ones read now */
    struct wp_label_rule old = rule("", NULL, "p", "OLD", "T", "D", 0);
    char origin[160];
    snprintf(origin, sizeof origin, "%s:2", m);
    old.origin = origin;
    assert_int_equal(wp_store_begin(s, &d), WP_OK);
    assert_int_equal(wp_store_rules_put(s, m, &old, 1, &d), WP_OK);
    assert_int_equal(wp_store_commit(s, &d), WP_OK);
    struct wp_label_pre *p = NULL;
    assert_int_equal(wp_label_pre_open(s, m, NULL, &p, &d), WP_OK);
    bool may_add = true;
    struct wp_run_keys k = keys("p", "x.csv", "codecarbon");
    const struct wp_labels *l = wp_label_pre_decide(p, &k, &may_add);
    assert_non_null(l);
    assert_string_equal(l->model, "A");
    assert_string_equal(l->task, "T");
    assert_string_equal(l->dataset, "D");
    assert_false(may_add); /* a rule was stored: the pass adds names, in its order */
    k = keys("q", "x.csv", "codecarbon");
    assert_null(wp_label_pre_decide(p, &k, &may_add));
    k = keys("q", "late_1.csv", "codecarbon"); /* both rules: complete */
    l = wp_label_pre_decide(p, &k, &may_add);
    assert_non_null(l);
    assert_string_equal(l->model, "B");
    assert_string_equal(l->task, "T2");
    k = keys("c", "x.csv", "codecarbon");
    assert_null(wp_label_pre_decide(p, &k, &may_add));
    k = keys("p", "x.json", "optimum-benchmark");
    assert_null(wp_label_pre_decide(p, &k, &may_add));
    assert_true(wp_label_pre_used_manifest(p));
    wp_label_pre_free(p);
    wp_store_close(s);
    /* an empty database: added, until the first run that is not certain */
    assert_int_equal(wp_store_open(":memory:", &s, &d), WP_OK);
    assert_int_equal(wp_label_pre_open(s, m, NULL, &p, &d), WP_OK);
    k = keys("p", "x.csv", "codecarbon");
    assert_non_null(wp_label_pre_decide(p, &k, &may_add));
    assert_true(may_add);
    k = keys("nobody", "x.csv", "codecarbon");
    assert_null(wp_label_pre_decide(p, &k, &may_add));
    k = keys("p", "x.csv", "codecarbon");
    assert_non_null(wp_label_pre_decide(p, &k, &may_add));
    assert_false(may_add);
    wp_label_pre_free(p);
    /* a manifest that cannot be read adds no rules: nothing decided */
    char missing[160];
    snprintf(missing, sizeof missing, "%s/none.csv", dir);
    assert_int_equal(wp_label_pre_open(s, missing, NULL, &p, &d), WP_OK);
    assert_null(wp_label_pre_decide(p, &k, &may_add));
    assert_false(wp_label_pre_used_manifest(p));
    wp_label_pre_free(p);
    wp_store_close(s);
    unlink(m);
    rmdir(dir);
}

/* The stored rules as 100 * their count + the sum of their ids. */
static int count_rule(void *ctx, long long id, const struct wp_label_rule *r)
{
    (void)r;
    *(long long *)ctx += 100 + id;
    return 0;
}

static long long stored_rules(struct wp_store *s)
{
    long long n = 0;
    assert_int_equal(wp_store_rules_each(s, count_rule, &n, NULL), WP_OK);
    return n;
}

static int run_experiment(void *ctx, const struct wp_run_keys *k)
{
    *(long long *)ctx = k->experiment_id;
    return 0;
}

/* Adds one run of project p from file x.csv (the labeller's new source), then commits. */
static void ingest_one_run(struct wp_store *s, const char *run_id)
{
    long long src;
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_source_new(s, run_id, "x.csv", "codecarbon", &src, NULL), WP_OK);
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = 2;
    m.project_name = "p";
    m.run_label = run_id;
    m.energy_j = 1000;
    m.duration_s = 10;
    m.started_at = "2024-01-02T03:04:05";
    struct wp_add_result res;
    assert_int_equal(wp_store_add_measurement(s, src, &m, NULL, &res, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
}

/* The manifest's rules commit with the first run stored labelled from them (a stopped
 * ingest leaves no label the stored rules do not give), are left out of the pass after
 * each file meanwhile, and are taken back with the labels when the manifest is not
 * applied; rules already stored as the manifest reads are not stored again. */
static void test_label_pre_stores_the_manifests_rules_with_its_first_labelled_run(
    void **state)
{
    (void)state;
    char dir[] = "/tmp/test_label.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char m[128];
    put_file(m, sizeof m, dir, "m.csv", "project_name,model,task,dataset\np,A,T,D\n");
    struct wp_store *s = NULL;
    struct wp_diag d = {0};
    assert_int_equal(wp_store_open(":memory:", &s, &d), WP_OK);
    struct wp_label_pre *p = NULL;
    assert_int_equal(wp_label_pre_open(s, m, NULL, &p, &d), WP_OK);
    assert_false(wp_label_pre_must_undo(p));
    struct wp_run_labeller l = wp_label_pre_labeller(p);
    wp_store_set_labeller(s, &l);
    ingest_one_run(s, "36d26af7-ab55-45e4-bf35-755c5633858f");
    assert_int_equal(stored_rules(s), 0); /* left out while the labeller is set */
    wp_store_set_labeller(s, NULL);
    assert_int_equal(stored_rules(s), 101); /* committed with the run */
    long long exp = 0;
    assert_int_equal(wp_store_run_keys_each(s, 0, run_experiment, &exp, NULL), WP_OK);
    assert_true(exp > 0);
    /* not applied: taken back */
    assert_true(wp_label_pre_must_undo(p));
    assert_int_equal(wp_store_begin(s, &d), WP_OK);
    assert_int_equal(wp_label_pre_undo(p, s, &d), WP_OK);
    assert_int_equal(wp_store_commit(s, &d), WP_OK);
    wp_label_pre_free(p);
    assert_int_equal(stored_rules(s), 0);
    assert_int_equal(wp_store_run_keys_each(s, 0, run_experiment, &exp, NULL), WP_OK);
    assert_int_equal(exp, 0);
    struct wp_store_counts n;
    assert_int_equal(wp_store_counts(s, &n, NULL), WP_OK);
    assert_int_equal(n.runs, 1);
    /* the manifest applied, then an ingest that stops: its rules, already stored as it
     * reads, stay (the labels they gave are explained), and are not stored again */
    assert_int_equal(wp_store_begin(s, &d), WP_OK);
    size_t n_rules = 0;
    struct wp_label_stats st;
    assert_int_equal(wp_manifest_apply(s, m, NULL, &n_rules, &st, &d), WP_OK);
    const struct wp_label_rule other = {.origin = "command line", .match_project = "zz",
                                        .model = "Z", .training_energy_j = NAN};
    assert_int_equal(wp_store_rules_put(s, NULL, &other, 1, &d), WP_OK); /* id 2 */
    assert_int_equal(wp_store_commit(s, &d), WP_OK);
    assert_int_equal(wp_label_pre_open(s, m, NULL, &p, &d), WP_OK);
    l = wp_label_pre_labeller(p);
    wp_store_set_labeller(s, &l);
    ingest_one_run(s, "46d26af7-ab55-45e4-bf35-755c5633858f");
    wp_store_set_labeller(s, NULL);
    assert_int_equal(stored_rules(s), 203); /* ids 1 and 2: the manifest's not put again */
    assert_int_equal(wp_store_begin(s, &d), WP_OK);
    assert_int_equal(wp_label_pre_undo(p, s, &d), WP_OK);
    assert_int_equal(wp_store_commit(s, &d), WP_OK);
    wp_label_pre_free(p);
    assert_int_equal(stored_rules(s), 203);
    wp_store_close(s);
    unlink(m);
    rmdir(dir);
}

/* A CodeCarbon header and n rows of project, one run each (their own run ids, or none:
 * each row a run then too), on day, each line ending with eol. */
static void rows(char *text, size_t size, const char *project, int n, const char *day,
                 bool ids, const char *eol)
{
    snprintf(text, size, "timestamp,project_name,run_id,duration,emissions,energy_consumed%s",
             eol);
    for (int i = 0; i < n; i++) {
        size_t k = strlen(text);
        char id[40] = "";
        if (ids)
            snprintf(id, sizeof id, "%08d-0000-4000-8000-%012d", i, i);
        snprintf(text + k, size - k, "%sT%02d:%02d:00,%s,%s,10,0.1,1%s", day, i / 60, i % 60,
                 project, id, eol);
    }
}

struct pass_result {
    struct wp_label_stats st;
    struct said said;
    size_t n_rules;
};

/* Ingests files[0..n) one transaction each (with_pre: labelling runs as they are added
 * by m's rules) into a new database, then applies manifest m as ingest --manifest does
 * after the files (with_pre: the pass after the pre-labeller). */
static void ingest_then_pass(const char *m, const char *const *files, size_t n,
                             bool with_pre, struct pass_result *out)
{
    struct wp_store *s = NULL;
    struct wp_diag d = {0};
    assert_int_equal(wp_store_open(":memory:", &s, &d), WP_OK);
    struct wp_label_pre *p = NULL;
    if (with_pre) {
        assert_int_equal(wp_label_pre_open(s, m, NULL, &p, &d), WP_OK);
        struct wp_run_labeller rl = wp_label_pre_labeller(p);
        wp_store_set_labeller(s, &rl);
    }
    struct wp_ingest_opts o = {0};
    struct wp_file_result r;
    for (size_t i = 0; i < n; i++) {
        struct wp_diag fd = {0};
        wp_ingest_file(s, files[i], &o, &r, &fd); /* a file that fails is rolled back */
    }
    wp_store_set_labeller(s, NULL);
    memset(out, 0, sizeof *out);
    struct wp_reporter rep = {on_report, &out->said};
    assert_int_equal(wp_store_begin(s, &d), WP_OK);
    assert_int_equal(wp_manifest_apply_after(s, m, p, &rep, &out->n_rules, &out->st, &d),
                     WP_OK);
    assert_int_equal(wp_store_commit(s, &d), WP_OK);
    wp_label_pre_free(p);
    wp_store_close(s);
}

/* The pass after the files does not read again the runs stored in their experiments as
 * they were added, yet says what the pass over every run says: their rules matched
 * (so no "matches no run"), they count as labelled; a run a later measurement joined is
 * read (its new keys may match more rules); the runs of a file rolled back count for
 * nothing (its rule matches no run). */
static void test_label_pass_after_counts_runs_labelled_as_added(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_label.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char m[128], f1[128], f2[128], f3[128], f4[128], f5[128];
    put_file(m, sizeof m, dir, "m.csv",
             "project_name,file,model,task,dataset,parameters\n"
             "p,,A,T,D,\n"
             "q,,B,T,D,7\n"
             ",f5copy.csv,A,T,D,\n" /* only the runs of a copy, rolled back */
             "u,,A,T,D,\n"
             "nobody,,N,T,D,\n" /* no row at all */
             ",f3.csv,,,,9\n");  /* the later phase of p's run */
    /* p's run, then 20 of q: enough in a row not to be read (label.c's SKIP_MIN) */
    char text[8192] = "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
                      "2024-01-01T10:00:00,p,11111111-1111-4111-8111-111111111111,10,0.1,1\n";
    for (int i = 0; i < 20; i++) {
        size_t n = strlen(text);
        snprintf(text + n, sizeof text - n,
                 "2024-01-01T11:%02d:00,q,22222222-2222-4222-8222-%012d,10,0.1,2\n", i, i);
    }
    put_file(f1, sizeof f1, dir, "f1.csv", text);
    /* 20 runs of u; a copy of them (CRLF) is rolled back once its 20 runs are stored;
     * then 40 runs of w, which no rule names, take their ids */
    rows(text, sizeof text, "u", 20, "2024-01-05", false, "\n");
    put_file(f5, sizeof f5, dir, "f5.csv", text);
    rows(text, sizeof text, "u", 20, "2024-01-05", false, "\r\n");
    put_file(f2, sizeof f2, dir, "f5copy.csv", text);
    rows(text, sizeof text, "w", 40, "2024-01-04", true, "\n");
    put_file(f4, sizeof f4, dir, "f4.csv", text);
    put_file(f3, sizeof f3, dir, "f3.csv",
             "timestamp,project_name,run_id,duration,emissions,energy_consumed,task_name\n"
             "2024-01-03T10:00:00,p,11111111-1111-4111-8111-111111111111,10,0.1,1,late\n");
    const char *files[] = {f1, f5, f2, f4, f3};
    struct pass_result all, after;
    ingest_then_pass(m, files, 5, false, &all);
    ingest_then_pass(m, files, 5, true, &after);
    char expect[400];
    snprintf(expect, sizeof expect, "%s:4: matches no run\n%s:6: matches no run\n", m, m);
    assert_string_equal(all.said.text, expect);
    assert_string_equal(after.said.text, all.said.text);
    assert_int_equal(after.st.runs_labeled, all.st.runs_labeled);
    assert_int_equal(all.st.runs_labeled, 41);
    assert_int_equal(after.st.rules_unmatched, 2);
    assert_int_equal(after.st.conflicts, 0);
    assert_int_equal(all.st.runs_not_read, 0);
    assert_int_equal(after.st.runs_not_read, 40); /* q's and u's; p's was joined */
    /* only f1: nothing left to read, every count from the account */
    ingest_then_pass(m, files, 1, false, &all);
    ingest_then_pass(m, files, 1, true, &after);
    assert_string_equal(after.said.text, all.said.text);
    assert_int_equal(after.st.runs_labeled, 21);
    assert_int_equal(after.st.runs_not_read, 21);
    assert_int_equal(after.st.rules_unmatched, all.st.rules_unmatched);
    for (size_t i = 0; i < 5; i++)
        unlink(files[i]);
    unlink(m);
    rmdir(dir);
}

/* The experiments of source src's runs: the same for each (0 when they differ). */
static int same_experiment(void *ctx, const struct wp_run_keys *k)
{
    long long *exp = ctx;
    *exp = *exp < 0 ? k->experiment_id : *exp == k->experiment_id ? *exp : 0;
    return 0;
}

static long long experiment_of(struct wp_store *s, long long src)
{
    long long exp = -1;
    assert_int_equal(wp_store_run_keys_each(s, src, same_experiment, &exp, NULL), WP_OK);
    return exp;
}

/* Labels on the command line are decided as runs are added too, as the rule the ingest
 * stores for each new file: they outrank the stored rules, and a run they leave
 * incomplete, or of a file that states labels, gets none.  The pass after a file, which
 * reads none of its runs when all went in as it would label them, reads them when a rule
 * was stored since the labels were decided (another process's manifest). */
static void test_label_pre_with_command_line_labels(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_label.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char f[3][128];
    for (int i = 0; i < 3; i++) {
        char name[32], text[256];
        snprintf(name, sizeof name, "f%d.csv", i);
        snprintf(text, sizeof text,
                 "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
                 "2024-01-0%dT10:00:00,p,,10,0.1,1\n2024-01-0%dT11:00:00,p,,10,0.1,2\n",
                 i + 1, i + 1);
        put_file(f[i], sizeof f[i], dir, name, text);
    }
    struct wp_store *s = NULL;
    struct wp_diag d = {0};
    assert_int_equal(wp_store_open(":memory:", &s, &d), WP_OK);
    struct wp_label_rule stored = rule("m.csv:2", NULL, "p", "A", "T", "D", 0);
    assert_int_equal(wp_store_begin(s, &d), WP_OK);
    assert_int_equal(wp_store_rules_put(s, "m.csv", &stored, 1, &d), WP_OK);
    assert_int_equal(wp_store_commit(s, &d), WP_OK);
    /* f0 by the passes alone: its runs' experiment (A, T, D, 3 inferences) is stored */
    struct wp_ingest_opts o = {.labels = {.task = "T", .inferences = 3}};
    struct wp_file_result r;
    assert_int_equal(wp_ingest_file(s, f[0], &o, &r, &d), WP_OK);
    long long exp0 = experiment_of(s, 1);
    assert_true(exp0 > 0);

    struct wp_label_pre *p = NULL;
    const struct wp_ingest_labels cli = {.task = "CT", .inferences = 3};
    assert_int_equal(wp_label_pre_open(s, NULL, &cli, &p, &d), WP_OK);
    bool may_add = true;
    struct wp_run_keys k = keys("p", "x.csv", "codecarbon");
    k.source_id = 9; /* a new file's (f0's own rule from the command line matches f0's) */
    const struct wp_labels *l = wp_label_pre_decide(p, &k, &may_add);
    assert_non_null(l);
    assert_string_equal(l->model, "A");
    assert_string_equal(l->task, "CT"); /* the command line over the stored rule */
    assert_string_equal(l->dataset, "D");
    assert_int_equal(l->inferences, 3);
    k = keys("q", "x.csv", "codecarbon"); /* no model: a rule sets one, none here */
    assert_null(wp_label_pre_decide(p, &k, &may_add));
    k = keys("p", "x.json", "optimum-benchmark");
    assert_null(wp_label_pre_decide(p, &k, &may_add));
    wp_label_pre_free(p);

    /* f1: every run goes in in f0's experiment, the labels the pass gives */
    assert_int_equal(wp_label_pre_open(s, NULL, &o.labels, &p, &d), WP_OK);
    struct wp_run_labeller rl = wp_label_pre_labeller(p);
    wp_store_set_labeller(s, &rl);
    assert_int_equal(wp_ingest_file(s, f[1], &o, &r, &d), WP_OK);
    assert_int_equal(r.rows_added, 2);
    assert_int_equal(experiment_of(s, 2), exp0);
    /* f2, after another process stored a rule for p's runs (a batch size): decided by
     * the earlier rules, then labelled anew by the pass after the file */
    struct wp_label_rule later = rule("late.csv:2", NULL, "p", NULL, NULL, NULL, 0);
    later.batch_size = 9;
    assert_int_equal(wp_store_begin(s, &d), WP_OK);
    assert_int_equal(wp_store_rules_put(s, "late.csv", &later, 1, &d), WP_OK);
    assert_int_equal(wp_store_commit(s, &d), WP_OK);
    assert_int_equal(wp_ingest_file(s, f[2], &o, &r, &d), WP_OK);
    long long exp2 = experiment_of(s, 3);
    assert_true(exp2 > 0);
    assert_int_not_equal(exp2, exp0);
    wp_store_set_labeller(s, NULL);
    wp_label_pre_free(p);
    /* by the passes alone: the same */
    struct wp_store *ref = NULL;
    assert_int_equal(wp_store_open(":memory:", &ref, &d), WP_OK);
    assert_int_equal(wp_store_begin(ref, &d), WP_OK);
    assert_int_equal(wp_store_rules_put(ref, "m.csv", &stored, 1, &d), WP_OK);
    assert_int_equal(wp_store_commit(ref, &d), WP_OK);
    for (int i = 0; i < 2; i++)
        assert_int_equal(wp_ingest_file(ref, f[i], &o, &r, &d), WP_OK);
    assert_int_equal(wp_store_begin(ref, &d), WP_OK);
    assert_int_equal(wp_store_rules_put(ref, "late.csv", &later, 1, &d), WP_OK);
    assert_int_equal(wp_store_commit(ref, &d), WP_OK);
    assert_int_equal(wp_ingest_file(ref, f[2], &o, &r, &d), WP_OK);
    assert_int_equal(experiment_of(ref, 2), exp0);
    assert_int_equal(experiment_of(ref, 3), exp2);
    wp_store_close(ref);
    wp_store_close(s);
    for (int i = 0; i < 3; i++)
        unlink(f[i]);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_overlapping_globs_keep_the_order_of_definition),
        cmocka_unit_test(test_label_pre_decides_only_certain_labels),
        cmocka_unit_test(test_label_pre_stores_the_manifests_rules_with_its_first_labelled_run),
        cmocka_unit_test(test_label_pass_after_counts_runs_labelled_as_added),
        cmocka_unit_test(test_label_pre_with_command_line_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
