/* wattprint ingest: files and directories into the database, one transaction per file;
 * and wattprint manifest: label runs from a manifest. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ingest/relabel.h"
#include "util/options.h"
#include "ingest/ahead.h"
#include "ingest/generic.h"
#include "ingest/ingest.h"
#include "ingest/label.h"
#include "util/text.h"
#include "report/skeleton.h"
#include "ingest/shards.h"
#include "analysis/validity.h"
#include "util/atomic.h"
#include "util/array.h"

/* A growable list of paths (owned). */
struct paths {
    char **v;
    size_t n, cap;
};

static int paths_add(struct paths *p, const char *s)
{
    if (WP_ARRAY_GROW(p->v, p->n + 1, p->cap))
        return -1;
    if (!(p->v[p->n] = strdup(s)))
        return -1;
    p->n++;
    return 0;
}

static void paths_free(struct paths *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* A directory walk: the files found, the directories read (by device and inode, so that a
 * symbolic link back to a folder already read, a loop or a parent, is not read again) and
 * what was left out, said as a note. */
struct walk {
    struct wp_cli *c;
    struct paths *files;
    struct {
        dev_t dev;
        ino_t ino;
    } *seen;
    size_t n_seen, cap_seen;
    long skipped;
};

#define WALK_MAX_DEPTH 64

/* Says why path is left out; a file left out counts among the files skipped. */
static void walk_skip(struct walk *w, const char *path, bool is_file, const char *why)
{
    w->skipped += is_file;
    if (!w->c->quiet)
        wp_cli_sayf("note: skipped %s: %s", path, why);
}

/* Records a directory as read; false when it was read before (or memory ran out: -1). */
static int walk_first_visit(struct walk *w, const struct stat *st)
{
    for (size_t i = 0; i < w->n_seen; i++)
        if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino)
            return 0;
    if (WP_ARRAY_GROW(w->seen, w->n_seen + 1, w->cap_seen))
        return -1;
    w->seen[w->n_seen].dev = st->st_dev;
    w->seen[w->n_seen].ino = st->st_ino;
    w->n_seen++;
    return 1;
}

/* What a path that is neither a regular file nor a directory is, for the note. */
static const char *walk_kind(const char *path, const struct stat *st, bool stat_ok)
{
    struct stat l;
    if (!stat_ok)
        return lstat(path, &l) == 0 && S_ISLNK(l.st_mode) ? "a symbolic link to nothing"
                                                          : "cannot be read";
    if (S_ISFIFO(st->st_mode))
        return "a FIFO, not a file";
    if (S_ISSOCK(st->st_mode))
        return "a socket, not a file";
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        return "a device, not a file";
    return "not a regular file";
}

/* Adds the regular files under dir (whose stat is st), recursively, in name order; hidden
 * entries are left out silently, anything else that is not read is said. */
static int walk(struct walk *w, const char *dir, const struct stat *dst, int depth)
{
    int first = walk_first_visit(w, dst);
    if (first <= 0) {
        if (first == 0)
            walk_skip(w, dir, false, "a folder already read (a symbolic link to it or a loop)");
        return first;
    }
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, by_name);
    if (n < 0) {
        wp_cli_sayf("%s: cannot read directory", dir);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        if (name[0] != '.' && rc == 0) {
            size_t len = strlen(dir) + strlen(name) + 2;
            char *full = malloc(len);
            struct stat st;
            if (!full) {
                rc = -1;
            } else {
                snprintf(full, len, "%s%s%s", dir,
                         dir[strlen(dir) - 1] == '/' ? "" : "/", name);
                /* a regular file by its entry needs no stat (one a file: 1% of the
                 * study's ingest); a link, a folder or an unknown type does */
                bool ok = ents[i]->d_type == DT_REG || stat(full, &st) == 0;
                if (ents[i]->d_type == DT_REG)
                    rc = paths_add(w->files, full);
                else if (ok && S_ISDIR(st.st_mode) && depth < WALK_MAX_DEPTH)
                    rc = walk(w, full, &st, depth + 1);
                else if (ok && S_ISDIR(st.st_mode))
                    walk_skip(w, full, false, "folders nest deeper than 64 levels");
                else if (ok && S_ISREG(st.st_mode))
                    rc = paths_add(w->files, full);
                else
                    walk_skip(w, full, true, walk_kind(full, &st, ok));
                free(full);
            }
        }
        free(ents[i]);
    }
    free(ents);
    return rc;
}

static const char *outcome_word(const struct wp_file_result *r)
{
    switch (r->outcome) {
    case WP_FILE_APPENDED: return "appended";
    case WP_FILE_UNCHANGED: return "unchanged";
    case WP_FILE_NODATA: return "no data";
    case WP_FILE_COPY: return "copy";
    default: return "ingested";
    }
}

struct totals {
    long files, failed, unchanged, copies, skipped;
    long long rows, rejected;
    bool tty; /* standard error is a terminal (asked once, not by a system call a file) */
    /* with --map: the content hashes this command ingested with it, sorted (the same
     * content met again was read with this map, which then needs no warning) */
    char (*mapped)[65];
    size_t n_mapped, cap_mapped;
};

static int cmp_sha(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Whether this command ingested the content sha with its --map. */
static bool mapped_here(const struct totals *t, const char *sha)
{
    return t->n_mapped && bsearch(sha, t->mapped, t->n_mapped, sizeof *t->mapped, cmp_sha);
}

/* Remembers that this command ingested the content sha with its --map (a failure to only
 * means a warning too many). */
static void mapped_add(struct totals *t, const char *sha)
{
    size_t i = 0;
    while (i < t->n_mapped && strcmp(t->mapped[i], sha) < 0)
        i++;
    if ((i < t->n_mapped && strcmp(t->mapped[i], sha) == 0) ||
        WP_ARRAY_GROW(t->mapped, t->n_mapped + 1, t->cap_mapped))
        return;
    memmove(t->mapped + i + 1, t->mapped + i, (t->n_mapped - i) * sizeof *t->mapped);
    snprintf(t->mapped[i], sizeof t->mapped[i], "%s", sha);
    t->n_mapped++;
}

/* Labels given again for a file already in the database: they replace the ones its
 * ingest gave, and every change is said; 0, or -1 (said) when that failed. */
static int relabel(struct wp_cli *c, struct wp_store *s, const char *path,
                   const struct wp_file_result *res, const struct wp_ingest_labels *l)
{
    struct wp_relabel r;
    struct wp_diag d = {0};
    enum wp_err e = wp_ingest_relabel(s, res->sha256, l, &c->rep, &r, &d);
    if (e) {
        wp_cli_error(&d);
        wp_relabel_free(&r);
        return -1;
    }
    if (!r.found) /* the content is an earlier version of a file, or another file's */
        wp_report(&c->rep, WP_WARN, path, 0, 0,
                  "this content was ingested before as part of another file, so the labels "
                  "given here were not applied; relabel its runs with a manifest (wattprint "
                  "manifest FILE, matching file or run_id)");
    else if (!r.runs && !c->quiet)
        wp_cli_sayf("note: %s: unchanged; its runs already have the labels given", path);
    for (size_t i = 0; i < r.n; i++) /* a correction is said even with -q */
        wp_cli_sayf("%s: relabelled %lld run%s: %s %s -> %s", path, r.v[i].runs,
                    r.v[i].runs == 1 ? "" : "s", r.v[i].field,
                    *r.v[i].from ? r.v[i].from : "(none)", *r.v[i].to ? r.v[i].to : "(none)");
    wp_relabel_free(&r);
    return 0;
}

/* Ingests path: the file ai of the read-ahead a when there is one (path is its ai-th). */
static int ingest_one(struct wp_cli *c, struct wp_store *s, struct wp_ahead *a, size_t ai,
                      const char *path, const struct wp_ingest_opts *o, bool from_dir,
                      struct totals *t)
{
    struct wp_file_result res;
    struct wp_diag d = {0};
    if (!wp_utf8_valid(path, strlen(path))) /* the store escapes it (wp_store_source_new) */
        wp_report(&c->rep, WP_WARN, path, 0, 0,
                  "the file name is not UTF-8: it is stored and shown with those bytes "
                  "escaped as \\xHH");
    enum wp_err e = a ? wp_ingest_file_ahead(s, a, ai, o, &res, &d)
                      : wp_ingest_file(s, path, o, &res, &d);
    if ((e == WP_ERR_FORMAT || e == WP_ERR_EMPTY) && from_dir) {
        t->skipped++; /* a directory may hold other files, or logs with no data: say so */
        if (!c->quiet) {
            char buf[1024];
            wp_diag_format(&d, buf, sizeof buf);
            wp_cli_say("note: skipped ", buf);
        }
        return 0;
    }
    if (e) {
        wp_cli_error(&d);
        if (e == WP_ERR_PARSE && !o->skip_bad_rows && d.bad_row)
            wp_cli_sayf("%s: nothing from this file was ingested "
                        "(--skip-bad-rows keeps its good rows)", path);
        t->failed++;
        return -1;
    }
    t->files++;
    t->rows += res.rows_added;
    t->rejected += res.rows_rejected;
    if (res.outcome == WP_FILE_UNCHANGED)
        t->unchanged++;
    if (res.outcome == WP_FILE_COPY) {
        t->copies++;
        if (!c->quiet && res.copy.rows)
            wp_cli_sayf("note: %s: its %lld lines are the first %lld of the %lld lines of %s, "
                        "ingested on %s: skipped (a copy of that log taken before it grew: "
                        "its runs are in the database already)", path, res.copy.rows,
                        res.copy.rows, res.copy.of_rows, res.copy.path, res.copy.ingested_at);
        else if (!c->quiet)
            wp_cli_sayf("note: %s: same rows as %s, ingested on %s: skipped (the same log "
                        "stored another way: gzipped, other line ends, blank lines, rows in "
                        "another order or JSON laid out anew; its byte hash differs)", path, res.copy.path,
                        res.copy.ingested_at);
    }
    if (res.grown.rows && !c->quiet)
        wp_cli_sayf("note: %s: begins with the %lld lines of %s, ingested on %s: their runs "
                    "are in the database already, so only the lines after them were read "
                    "(a copy of a log that grew, or a log that grew after its copy was "
                    "ingested)", path, res.grown.rows, res.grown.path, res.grown.ingested_at);
    if (!c->quiet && !t->tty) {
        char more[256] = "";
        int k = 0;
        if (res.rows_rejected)
            k += snprintf(more + k, sizeof more - (size_t)k,
                          ", %lld rejected (see wattprint rejected)", res.rows_rejected);
        if (res.conflicts && k < (int)sizeof more)
            k += snprintf(more + k, sizeof more - (size_t)k,
                          ", %lld conflict%s (run ids holding other values, kept as separate "
                          "runs)", res.conflicts, res.conflicts == 1 ? "" : "s");
        if (res.folded && k < (int)sizeof more)
            snprintf(more + k, sizeof more - (size_t)k,
                     ", %lld earlier flush%s folded into their runs", res.folded,
                     res.folded == 1 ? "" : "es");
        wp_cli_sayf("%s: %s (%s): %lld rows%s", path, outcome_word(&res), res.format,
                    res.rows_added, more);
    }
    const struct wp_ingest_labels *l = &o->labels;
    if (res.outcome == WP_FILE_UNCHANGED &&
        (l->model || l->task || l->dataset || l->inferences || l->batch_size || l->parameters)
        && relabel(c, s, path, &res, l)) {
        t->failed++;
        return -1;
    }
    if (res.outcome == WP_FILE_INGESTED && o->fmt.generic_map)
        mapped_add(t, res.sha256);
    if (res.outcome == WP_FILE_UNCHANGED && o->fmt.generic_map && !mapped_here(t, res.sha256))
        wp_report(&c->rep, WP_WARN, path, 0, 0,
                  "this content was ingested before: its runs keep what that ingest read, "
                  "and the --map given now is not applied to them");
    if (res.duplicates && !c->quiet)
        wp_cli_sayf("note: %s: %lld rows were already in the database", path,
                    res.duplicates);
    if (res.replaced && !c->quiet)
        wp_cli_sayf("note: %s: replaced the earlier version (%lld measurements removed)",
                    path, res.replaced);
    return 0;
}

/* --shards: the files are one run's per-process logs (see ingest/shards.h). */
static int ingest_shards(struct wp_cli *c, struct wp_store *s, const struct paths *files,
                         const struct wp_ingest_opts *o, struct totals *t)
{
    struct wp_file_result res;
    struct wp_shards_info info;
    struct wp_diag d = {0};
    enum wp_err e = wp_ingest_shards(s, (const char *const *)files->v, files->n, o, &res,
                                     &info, &d);
    if (e) {
        wp_cli_error(&d);
        t->failed++;
        return -1;
    }
    t->files++;
    t->rows += res.rows_added;
    if (res.outcome == WP_FILE_UNCHANGED) {
        t->unchanged++;
        if (!c->quiet)
            wp_cli_sayf("%s and %zu more: these shards were ingested together before: "
                        "unchanged", files->v[0], files->n - 1);
        return 0;
    }
    if (!c->quiet) {
        if (info.gpu_machine_wide)
            wp_cli_sayf("note: %s and %zu more: %zu shards of one run merged into %zu rows: "
                        "each logged all %ld GPUs of the node, so GPU, CPU and RAM energy "
                        "are each taken once (from the shard whose run lasted longest), not "
                        "summed", files->v[0], files->n - 1, info.shards, info.rows,
                        info.gpu_count);
        else
            wp_cli_sayf("note: %s and %zu more: %zu shards of one run merged into %zu rows: "
                        "GPU energy summed over the shards, CPU and RAM energy (the node's, "
                        "in each shard) taken once, from the shard whose run lasted longest",
                        files->v[0], files->n - 1, info.shards, info.rows);
    }
    return 0;
}

/* The manifest's shards column: each group of two or more of the files given is one run,
 * ingested as --shards ingests it (shard[i] set for its files); a group that names one
 * file only is said, and that file ingested as a log of its own. */
static int manifest_shards(struct wp_cli *c, struct wp_store *s, const char *manifest,
                           const struct paths *files, const struct wp_ingest_opts *o,
                           bool *shard, struct totals *t)
{
    struct wp_manifest_shards g;
    struct wp_diag d = {0};
    if (wp_manifest_shards(manifest, (const char *const *)files->v, files->n, &g, &d)) {
        wp_cli_error(&d);
        return -1;
    }
    char **v = malloc((files->n ? files->n : 1) * sizeof *v);
    int rc = v ? 0 : -1;
    if (!v)
        wp_cli_sayf("out of memory");
    for (size_t k = 1; !rc && k <= g.n_groups; k++) {
        struct paths one = {.v = v};
        for (size_t i = 0; i < files->n; i++)
            if (g.group[i] == k)
                one.v[one.n++] = files->v[i];
        if (one.n == 1)
            wp_report(&c->rep, WP_WARN, manifest, g.line[k - 1], 0,
                      "shards \"%s\": one of the files given is a shard of it (%s): "
                      "ingested as a log of its own", g.names[k - 1], one.v[0]);
        if (one.n >= 2 && (o->format || o->replace || o->skip_bad_rows)) {
            wp_report(&c->rep, WP_ERROR, manifest, g.line[k - 1], 0,
                      "shards \"%s\": shards are CodeCarbon logs read as one, without "
                      "--format, --map, --replace or --skip-bad-rows", g.names[k - 1]);
            rc = -1;
        }
        if (one.n < 2 || rc)
            continue;
        for (size_t i = 0; i < files->n; i++)
            shard[i] = shard[i] || g.group[i] == k;
        if (ingest_shards(c, s, &one, o, t))
            rc = -1;
    }
    free(v);
    wp_manifest_shards_free(&g);
    return rc;
}

/* The validity checks (analysis/validity.h) that need the runs stored and labelled, run once
 * after the files: a short window, a first run that is an outlier.  Each flag on a run of
 * a file read now is a warning at its line (the parsers warned of sample gaps and
 * part-time power themselves); the first WARN_MAX, then how many more.  A fixed order of
 * the experiments (a finding about the database the files joined) is one warning. */
#define WARN_MAX 20
static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void ingest_checks(struct wp_cli *c, struct wp_store *s, const struct paths *files)
{
    struct wp_validity v;
    struct wp_diag d = {0};
    struct wp_run_filter f = {0};
    /* runs name their file's base: the bases read now, sorted, to look flags up in (one
     * pass over every file per flag took a second on the study's 6,569 files) */
    const char **base = malloc((files->n ? files->n : 1) * sizeof *base);
    if (!base) {
        wp_diag_set(&d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        wp_cli_error(&d);
        return;
    }
    for (size_t k = 0; k < files->n; k++) {
        const char *slash = strrchr(files->v[k], '/');
        base[k] = slash ? slash + 1 : files->v[k];
    }
    qsort(base, files->n, sizeof *base, cmp_name);
    /* a role that may not read measured values (roles.sql's ingest role) has no checks */
    bool may_read = false;
    if (wp_store_may_read_values(s, &may_read, &d) || !may_read) {
        free(base);
        return;
    }
    if (wp_validity_run(s, &f, NULL, &v, &d)) {
        wp_cli_error(&d);
        free(base);
        return;
    }
    long n = 0;
    for (size_t i = 0; i < v.n_flags; i++) {
        const struct wp_flag *x = &v.flags[i];
        if (x->check != WP_CHECK_SHORT_WINDOW && x->check != WP_CHECK_FIRST_OUTLIER)
            continue;
        const char *file = x->file;
        bool now = files->n && bsearch(&file, base, files->n, sizeof *base, cmp_name);
        if (!now || ++n > WARN_MAX)
            continue;
        struct wp_diag w = {0};
        wp_diag_set(&w, WP_OK, x->file, x->line, 0, "run %lld: %s: %s (flagged: stats "
                    "--valid-only leaves it out)", x->run_id, wp_check_name(x->check), x->msg);
        wp_cli_message(c, WP_WARN, &w);
    }
    if (n > WARN_MAX)
        wp_report(&c->rep, WP_WARN, NULL, 0, 0, "%ld more run(s) flagged by the validity "
                  "checks: see wattprint validity", n - WARN_MAX);
    /* the design, over the database the files joined */
    if (wp_order_is_fixed(v.order) && files->n) {
        struct wp_diag w = {0};
        wp_diag_set(&w, WP_OK, NULL, 0, 0, "fixed_order: %s (see wattprint validity)",
                    v.order_msg);
        wp_cli_message(c, WP_WARN, &w);
    }
    wp_validity_free(&v);
    free(base);
}

/* The count of files done, on a terminal (tty: standard error is one). */
static void progress(size_t i, size_t n, bool tty)
{
    if (n > 1 && tty)
        fprintf(stderr, "\rwattprint: ingesting %zu/%zu files", i, n);
}

/* Stores the manifest's rules and labels the runs by them; pre (NULL: none) labelled this
 * ingest's new runs as they were added: those the pass does not read again. */
static int apply_manifest(struct wp_cli *c, struct wp_store *s, const char *path,
                          const struct wp_label_pre *pre)
{
    struct wp_diag d = {0};
    size_t n = 0;
    struct wp_label_stats st;
    enum wp_err e = wp_store_begin(s, &d);
    if (!e && !(e = wp_manifest_apply_after(s, path, pre, &c->rep, &n, &st, &d)))
        e = wp_store_commit(s, &d);
    if (e) {
        wp_store_rollback(s);
        wp_cli_error(&d);
        return -1;
    }
    if (!c->quiet)
        wp_cli_sayf("%s: %zu rules, %lld runs labelled", path, n, st.runs_labeled);
    return 0;
}

/* Runs stored in their experiments as they are added, by the stored rules, the manifest's
 * and the command line's labels (ingest/label.h).  NULL when there is nothing to decide. */
static struct wp_label_pre *labels_as_added(struct wp_cli *c, struct wp_store *s,
                                            const char *manifest,
                                            const struct wp_ingest_labels *l)
{
    /* the reference the labelling differential test compares with: every run labelled by
     * the passes, as before labels were decided as runs are added */
    const char *env = getenv("WATTPRINT_LABELS_AS_ADDED");
    if (env && strcmp(env, "0") == 0)
        return NULL;
    struct wp_label_pre *p = NULL;
    struct wp_diag d = {0};
    if (wp_label_pre_open(s, manifest, l, &p, &d)) {
        /* only out of memory or the database: a warning, the pass after the files labels
         * the runs as before */
        wp_cli_message(c, WP_WARN, &d);
        return NULL;
    }
    struct wp_run_labeller rl = wp_label_pre_labeller(p);
    wp_store_set_labeller(s, &rl);
    return p;
}

/* The manifest that decided labels as runs were added was not applied (it failed, or the
 * ingest stopped first): its rules and labels are taken back, as if it had never been
 * read, in one transaction. */
static int labels_as_added_undo(struct wp_store *s, struct wp_label_pre *p)
{
    struct wp_diag d = {0};
    enum wp_err e = wp_store_begin(s, &d);
    if (!e && !(e = wp_label_pre_undo(p, s, &d)))
        e = wp_store_commit(s, &d);
    if (!e)
        return 0;
    wp_store_rollback(s);
    wp_cli_error(&d);
    return -1;
}

static const struct wp_option long_opts[] = {
    WP_OPT_ARG_OPT(0, "manifest", 'M'), WP_OPT_ARG_OPT(0, "model", 'm'),
    WP_OPT_ARG_OPT(0, "task", 't'),     WP_OPT_ARG_OPT(0, "dataset", 'd'),
    WP_OPT_ARG_OPT(0, "inferences", 'n'), WP_OPT_ARG_OPT(0, "batch-size", 'b'),
    WP_OPT_ARG_OPT(0, "format", 'f'),   WP_OPT_NOARG_OPT(0, "skip-bad-rows", 's'),
    WP_OPT_NOARG_OPT(0, "keep-going", 'k'),     WP_OPT_ARG_OPT(0, "map", 'p'),
    WP_OPT_NOARG_OPT(0, "replace", 'R'),        WP_OPT_NOARG_OPT(0, "idle", 'I'),
    WP_OPT_NOARG_OPT(0, "shards", 'S'),
    WP_OPT_END_OPT,
};

int wp_cmd_ingest(struct wp_cli *c, int argc, char **argv)
{
    struct wp_ingest_opts o = {.rep = &c->rep};
    const char *manifest = NULL, *map = NULL;
    bool keep_going = false, shards = false;
    int opt;
    c->rep = (struct wp_reporter){wp_cli_message, c};
    struct wp_options op;
    wp_options_init(&op, long_opts, WP_OPTIONS_STOP_AT_OPERAND, argc, argv);
    for (char *arg; (opt = wp_options_next(&op, &arg)) > 0;) {
        switch (opt) {
        case 'M': manifest = arg; break;
        case 'm': o.labels.model = arg; break;
        case 't': o.labels.task = arg; break;
        case 'd': o.labels.dataset = arg; break;
        case 'n':
            if (!wp_cli_count("ingest", "--inferences", arg, &o.labels.inferences))
                return WP_EXIT_USAGE;
            break;
        case 'b':
            if (!wp_cli_count("ingest", "--batch-size", arg, &o.labels.batch_size))
                return WP_EXIT_USAGE;
            break;
        case 'f':
            if (!wp_format_find(arg))
                return wp_cli_usage("ingest", "unknown format \"%s\" (see wattprint formats)",
                                    arg);
            o.format = arg;
            break;
        case 's': o.skip_bad_rows = true; break;
        case 'k': keep_going = true; break;
        case 'p': map = arg; break;
        case 'R': o.replace = true; break;
        case 'S': shards = true; break;
        case 'I': o.labels.is_idle = true; break;
        default: return wp_cli_usage("ingest", "unknown option");
        }
    }
    if (opt < 0)
        return wp_cli_usage("ingest", "%s", op.err);
    const char *as_added = getenv("WATTPRINT_LABELS_AS_ADDED");
    if (as_added && *as_added && strcmp(as_added, "0") && strcmp(as_added, "1"))
        return wp_cli_usage("ingest", "WATTPRINT_LABELS_AS_ADDED: \"%s\" is not 0 (labels "
                                      "by the passes only) or 1", as_added);
    const char *threads = getenv("WATTPRINT_INGEST_THREADS");
    if (threads && *threads) {
        if (strcmp(threads, "1") && strcmp(threads, "2"))
            return wp_cli_usage("ingest", "WATTPRINT_INGEST_THREADS: \"%s\" is not 1 "
                                          "(serial) or 2 (always a parser thread)", threads);
        o.threads = *threads == '1' ? WP_INGEST_THREADS_ONE : WP_INGEST_THREADS_TWO;
    }
    argc = op.n_operands + 1; /* the operands: argv[1 .. argc - 1] */
    /* --map means the generic format; the generic format needs a map */
    if (map && !o.format)
        o.format = "generic";
    if (map && strcmp(o.format, "generic") != 0)
        return wp_cli_usage("ingest", "--map is for --format generic, not %s", o.format);
    if (!map && o.format && strcmp(o.format, "generic") == 0)
        return wp_cli_usage("ingest", "--format generic needs a column map: --map FILE or "
                                      "--map KEY=COLUMN,...");
    if (argc == 1 && !manifest)
        return wp_cli_usage("ingest", "give at least one FILE or DIR");
    if (shards && (o.format || o.replace || o.skip_bad_rows || argc < 3))
        return wp_cli_usage("ingest", "--shards takes two or more CodeCarbon logs of one run, "
                                      "without --format, --map, --replace or --skip-bad-rows");
    if (o.labels.is_idle && (o.labels.model || o.labels.task || o.labels.dataset ||
                             o.labels.inferences || o.labels.batch_size))
        return wp_cli_usage("ingest", "--idle marks idle windows of a host: they measure no "
                                      "model, so --model, --task, --dataset, --inferences and "
                                      "--batch-size do not go with it");
    const char *const label_opt[] = {"--model", "--task", "--dataset"};
    const char *const label_val[] = {o.labels.model, o.labels.task, o.labels.dataset};
    for (int i = 0; i < 3; i++)
        if (label_val[i] && !wp_utf8_valid(label_val[i], strlen(label_val[i])))
            wp_report(&c->rep, WP_WARN, NULL, 0, 0,
                      "%s: not UTF-8: stored and shown with those bytes escaped as \\xHH",
                      label_opt[i]);
    struct wp_generic_map *gmap = NULL;
    if (map) {
        struct wp_diag md = {0};
        if (wp_generic_map_load(map, &gmap, &md)) {
            wp_cli_error(&md);
            return WP_EXIT_FAIL;
        }
        o.fmt.generic_map = gmap;
    }
    struct paths files = {0};
    struct walk w = {.c = c, .files = &files};
    bool *from_dir = NULL;
    size_t cap_from_dir = 0;
    int rc = WP_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        size_t before = files.n;
        if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (walk(&w, argv[i], &st, 0))
                rc = WP_EXIT_FAIL;
        } else if (paths_add(&files, argv[i])) {
            rc = WP_EXIT_FAIL;
        }
        if (WP_ARRAY_GROW(from_dir, files.n ? files.n : 1, cap_from_dir)) {
            rc = WP_EXIT_FAIL;
            break;
        }
        for (size_t k = before; k < files.n; k++)
            from_dir[k] = strcmp(argv[i], files.v[k]) != 0;
    }
    free(w.seen);
    struct wp_store *s = rc ? NULL : wp_cli_create_store(c);
    if (!s) {
        paths_free(&files);
        free(from_dir);
        wp_generic_map_free(gmap);
        return WP_EXIT_FAIL;
    }
    struct totals t = {.skipped = w.skipped, .tty = isatty(STDERR_FILENO)};
    struct wp_label_pre *pre = labels_as_added(c, s, manifest, &o.labels);
    if (shards && !rc) {
        rc = ingest_shards(c, s, &files, &o, &t) ? WP_EXIT_FAIL : WP_EXIT_OK;
    }
    bool *shard = calloc(files.n ? files.n : 1, sizeof *shard);
    if (!shard)
        rc = WP_EXIT_FAIL;
    if (!rc && !shards && manifest && files.n &&
        manifest_shards(c, s, manifest, &files, &o, shard, &t))
        rc = WP_EXIT_FAIL; /* even with --keep-going: its shards would count alone */
    /* the files to ingest one by one, read ahead of their turn (wp_ingest_read_ahead) */
    const char **todo = calloc(files.n ? files.n : 1, sizeof *todo);
    size_t n_todo = 0;
    if (!todo)
        rc = WP_EXIT_FAIL;
    for (size_t i = 0; !rc && !shards && i < files.n; i++)
        if (!shard[i])
            todo[n_todo++] = files.v[i];
    struct wp_ahead *ahead = rc ? NULL : wp_ingest_read_ahead(todo, n_todo, &o);
    for (size_t i = 0, k = 0; !rc && !shards && i < files.n; i++) {
        progress(i + 1, files.n, t.tty);
        if (shard[i])
            continue;
        if (ingest_one(c, s, ahead, k++, files.v[i], &o, from_dir[i], &t) && !keep_going) {
            rc = WP_EXIT_FAIL;
            break;
        }
    }
    wp_ahead_stop(ahead);
    free(todo);
    if (files.n > 1 && t.tty)
        fputc('\n', stderr);
    if (t.failed)
        rc = WP_EXIT_FAIL;
    wp_store_set_labeller(s, NULL);
    bool applied = false;
    if (manifest && (rc == WP_EXIT_OK || keep_going)) {
        if (apply_manifest(c, s, manifest, pre))
            rc = WP_EXIT_FAIL;
        else
            applied = true;
    }
    if (!applied && wp_label_pre_must_undo(pre) && labels_as_added_undo(s, pre))
        rc = WP_EXIT_FAIL;
    wp_label_pre_free(pre);
    if (t.rows && !c->quiet)
        ingest_checks(c, s, &files);
    struct wp_store_counts n = {0};
    struct wp_diag d = {0};
    char copies[64] = "";
    if (t.copies)
        snprintf(copies, sizeof copies, "%ld cop%s of files ingested before, ", t.copies,
                 t.copies == 1 ? "y" : "ies");
    if (!c->quiet && wp_store_counts(s, &n, &d) == WP_OK && files.n)
        fprintf(stderr,
                "wattprint: %ld files ingested (%ld unchanged, %s%ld skipped, %ld failed), "
                "%lld rows added, %lld rejected; database: %lld runs, %lld unlabelled\n",
                t.files, t.unchanged, copies, t.skipped, t.failed, t.rows, t.rejected,
                n.runs, n.unlabeled_runs);
    /* labels given in part: the runs stay unlabelled, and the count above would not say why */
    if (!c->quiet && !manifest && t.rows && n.unlabeled_runs > 0 &&
        (o.labels.model || o.labels.task || o.labels.dataset) &&
        !(o.labels.model && o.labels.task && o.labels.dataset)) {
        char missing[64] = "";
        for (int i = 0; i < 3; i++)
            if (!label_val[i])
                snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                         *missing ? " and " : "", label_opt[i]);
        fprintf(stderr, "wattprint: note: a run is labelled (for stats, reports and cards) by "
                        "its model, task and dataset together: give %s too, or label the runs "
                        "later with a manifest (wattprint manifest --skeleton)\n",
                missing);
    }
    wp_store_close(s);
    paths_free(&files);
    free(from_dir);
    free(shard);
    free(t.mapped);
    wp_generic_map_free(gmap);
    return rc;
}

/* manifest --skeleton [-o FILE]: the manifest to fill in, to FILE (atomically) or standard output. */
static int skeleton(struct wp_cli *c, const char *path)
{
    struct wp_store *s = wp_cli_open_store(c);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_diag d = {0};
    struct wp_atomic a = {0};
    struct wp_skeleton_counts n = {0};
    struct wp_unlabelled u = {0};
    enum wp_err e = path ? wp_cli_output_check(c, path, &d) : WP_OK;
    if (!e && path)
        e = wp_atomic_begin(&a, path, &d);
    if (!e)
        e = wp_unlabelled_collect(s, &u, &d);
    if (!e)
        e = wp_manifest_skeleton(&u, path ? a.f : c->out, &n, &d);
    wp_unlabelled_free(&u);
    if (path && e)
        wp_atomic_abort(&a);
    else if (path)
        e = wp_atomic_commit(&a, &d);
    else if (!e && (fflush(c->out) || ferror(c->out)))
        e = wp_diag_set(&d, WP_ERR_IO, NULL, 0, 0, "cannot write to standard output");
    wp_store_close(s);
    if (e) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    if (!c->quiet)
        fprintf(stderr, "wattprint: %s%s%lld rows for %lld unlabelled runs%s\n",
                path ? path : "", path ? ": " : "", n.groups, n.runs,
                n.runs ? "; fill in the label columns, then: wattprint manifest FILE"
                       : " (every run is labelled)");
    return WP_EXIT_OK;
}

int wp_cmd_manifest(struct wp_cli *c, int argc, char **argv)
{
    c->rep = (struct wp_reporter){wp_cli_message, c};
    static const struct wp_option opts[] = {
        WP_OPT_NOARG_OPT(0, "skeleton", 'S'), WP_OPT_ARG_OPT('o', "output", 'o'),
        WP_OPT_END_OPT,
    };
    bool want_skeleton = false;
    const char *out = NULL;
    int opt;
    struct wp_options op;
    wp_options_init(&op, opts, WP_OPTIONS_STOP_AT_OPERAND, argc, argv);
    for (char *arg; (opt = wp_options_next(&op, &arg)) > 0;) {
        switch (opt) {
        case 'S': want_skeleton = true; break;
        case 'o': out = arg; break;
        default: return wp_cli_usage("manifest", "unknown option");
        }
    }
    if (opt < 0)
        return wp_cli_usage("manifest", "%s", op.err);
    argc = op.n_operands + 1; /* the operands: argv[1 .. argc - 1] */
    if (want_skeleton) {
        if (argc != 1)
            return wp_cli_usage("manifest", "--skeleton takes no FILE (use -o FILE)");
        return skeleton(c, out);
    }
    if (out)
        return wp_cli_usage("manifest", "-o goes with --skeleton");
    if (argc != 2)
        return wp_cli_usage("manifest", "give exactly one manifest FILE");
    struct wp_store *s = wp_cli_create_store(c);
    if (!s)
        return WP_EXIT_FAIL;
    int rc = apply_manifest(c, s, argv[1], NULL) ? WP_EXIT_FAIL : WP_EXIT_OK;
    wp_store_close(s);
    return rc;
}
