/* wattprint batch SPEC: every report a batch spec lists (src/report/spec.c reads it), in
 * one process, by running the report commands in-process with the entry's filter and
 * output paths confined to the spec's output root.  Every writer writes atomically, so a
 * failed output leaves no half-written file; a failure names its entry and the batch goes
 * on with the next output, then exits 1. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/spec.h"
#include "stats/analysis.h"
#include "util/atomic.h"
#include "util/path.h"

#define CMD "batch"
#define MAX_ARGS 40

/* An argument vector for one in-process command, its strings owned. */
struct args {
    char *v[MAX_ARGS + 1];
    int n;
};

static void add(struct args *a, const char *s)
{
    if (a->n < MAX_ARGS && s)
        a->v[a->n++] = strdup(s);
}

static void add_opt(struct args *a, const char *opt, const char *value)
{
    if (value) {
        add(a, opt);
        add(a, value);
    }
}

static void args_free(struct args *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->v[i]);
    a->n = 0;
}

/* The entry's filter, as the commands' options. */
static void add_filter(struct args *a, const struct wp_batch_entry *e, bool has_dataset)
{
    add_opt(a, "--task", e->task);
    add_opt(a, "--model", e->model);
    if (has_dataset)
        add_opt(a, "--dataset", e->dataset);
    add_opt(a, "--phase", e->phase);
    if (e->where_key) {
        char w[1024];
        snprintf(w, sizeof w, "%s=%s", e->where_key, e->where_value);
        add_opt(a, "--where", w);
    }
}

/* Outputs are counted as they are written: failed is total - written at the end. */
struct progress {
    size_t done, total, written;
    bool tty;
};

static void step(struct progress *p, const char *entry, const char *what)
{
    p->done++;
    if (p->tty)
        fprintf(stderr, "\rwattprint batch: [%zu/%zu] %s: %-24.24s", p->done, p->total, entry,
                what);
}

/* Runs one command in-process, its standard output into out (or NULL); a failure is
 * reported with the entry's name. */
static void run_to(struct wp_cli *c, struct progress *p, const struct wp_batch_entry *e,
                   const char *what, struct args *a, const char *out)
{
    const struct wp_cmd *cmd = wp_cmd_find(a->v[0]);
    step(p, e->name, what);
    a->v[a->n] = NULL;
    int rc = cmd ? wp_cli_run(c, cmd, a->n, a->v, out) : WP_EXIT_FAIL;
    if (rc == WP_EXIT_OK) {
        p->written++;
    } else {
        if (p->tty)
            fputc('\n', stderr);
        wp_cli_sayf("batch entry \"%s\" (line %ld): %s failed", e->name, e->line, what);
    }
    args_free(a);
}

static void run(struct wp_cli *c, struct progress *p, const struct wp_batch_entry *e,
                const char *what, struct args *a)
{
    run_to(c, p, e, what, a, NULL);
}

/* stats.json: the stats command's JSON, written atomically. */
static void stats_json(struct wp_cli *c, struct progress *p, const struct wp_batch_entry *e,
                       const char *path)
{
    struct args a = {{0}, 0};
    add(&a, "stats");
    add_opt(&a, "--format", "json");
    add_filter(&a, e, true);
    run_to(c, p, e, "stats.json", &a, path);
}

/* Creates an output folder of an entry, or says why not (the outputs in it are counted as
 * failed, since they are not written). */
static bool made(const char *dir)
{
    struct wp_diag d = {0};
    struct stat st;
    if (!wp_mkdirs(dir, &d)) {
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return true;
        wp_diag_set(&d, WP_ERR_IO, dir, 0, 0, "cannot make the output folder: %s",
                    stat(dir, &st) == 0 ? "a file of that name is there" : strerror(errno));
    }
    wp_cli_error(&d);
    return false;
}

/* The path of an entry's output `file` (NULL: the entry's folder) in buf, when it stays in
 * the output root once symbolic links are followed (a link inside the root to a folder
 * outside it is refused, not written through); else says why and returns false. */
static bool out_path(const struct wp_batch_spec *s, const struct wp_batch_entry *e,
                     const char *file, char *buf, size_t size)
{
    struct wp_diag d = {0};
    if (!wp_batch_path(s, e, file, buf, size, &d) && !wp_path_inside(s->output, buf, &d))
        return true;
    if (!wp_diag_has_file(&d))
        wp_diag_set_file(&d, s->path);
    wp_cli_error(&d);
    return false;
}

/* The disclosures the entry names, each through `wattprint export` as the other outputs
 * go through their commands: one folder per format that writes one file per model (and
 * task), the SCI table as JSON with its Impact Framework manifest. */
static void exports(struct wp_cli *c, const struct wp_batch_spec *s,
                    const struct wp_batch_entry *e, struct progress *p)
{
    static const struct {
        unsigned bit;
        const char *format, *file, *fmt; /* file: a folder when it ends in '/' */
    } x[] = {
        {WP_PRODUCE_BOAMPS, "boamps", "exports/boamps/", NULL},
        {WP_PRODUCE_SCI, "sci", "exports/sci.json", "json"},
        {WP_PRODUCE_SPDX, "spdx", "exports/spdx/", NULL},
        {WP_PRODUCE_EUAIACT, "eu-ai-act", "exports/eu-ai-act/", NULL},
    };
    struct args a = {{0}, 0};
    char path[4096], manifest[4096];
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++) {
        if (!(e->produce & x[i].bit) || !out_path(s, e, x[i].file, path, sizeof path))
            continue;
        size_t len = strlen(path);
        if (x[i].file[strlen(x[i].file) - 1] == '/') { /* a folder: made, named with its '/' */
            if (!made(path) || len + 2 > sizeof path)
                continue;
            if (path[len - 1] != '/')
                memcpy(path + len, "/", 2);
        }
        add(&a, "export");
        add(&a, x[i].format);
        add_opt(&a, "-o", path);
        add_opt(&a, "--format", x[i].fmt);
        if (x[i].bit == WP_PRODUCE_SCI && out_path(s, e, "exports/sci.if.yml", manifest,
                                                    sizeof manifest))
            add_opt(&a, "--manifest-if", manifest);
        add_filter(&a, e, true);
        run(c, p, e, x[i].file, &a);
    }
}

static void entry_outputs(struct wp_cli *c, const struct wp_batch_spec *s,
                          const struct wp_batch_entry *e, struct progress *p)
{
    char path[4096], dir[4096];
    /* the root first, so that the entry's folder resolves under it */
    if (!made(s->output) || !out_path(s, e, NULL, dir, sizeof dir) || !made(dir))
        return;
    struct args a = {{0}, 0};
    /* the report as a PDF and as a web page: the same content, analyses shared */
    static const char *const report_names[] = {"report.pdf", "report.html"};
    for (int i = 0; i < 2 && e->produce & WP_PRODUCE_REPORT; i++) {
        if (!out_path(s, e, report_names[i], path, sizeof path))
            continue;
        add(&a, "report");
        add_opt(&a, "-o", path);
        add_opt(&a, "--paper", s->paper);
        add_opt(&a, "--title", e->title);
        add_opt(&a, "--subtitle", e->subtitle);
        add_opt(&a, "--organisation", e->organisation);
        add_filter(&a, e, true);
        run(c, p, e, report_names[i], &a);
    }
    if (e->produce & WP_PRODUCE_XLSX && out_path(s, e, "summary.xlsx", path, sizeof path)) {
        add(&a, "xlsx");
        add_opt(&a, "-o", path);
        add_filter(&a, e, true);
        run(c, p, e, "summary.xlsx", &a);
    }
    if (e->produce & WP_PRODUCE_CARDS && out_path(s, e, "cards", path, sizeof path) &&
        made(path)) {
        /* a card rates its model among every model of each task: only the model and the
         * phase narrow it */
        add(&a, "card");
        add(&a, e->model ? e->model : "--all");
        add_opt(&a, "-o", path);
        add_opt(&a, "--phase", e->phase);
        run(c, p, e, "cards", &a);
    }
    if (e->produce & WP_PRODUCE_LATEX && out_path(s, e, "tables", path, sizeof path) &&
        made(path)) {
        static const char *const by[] = {"task", "model,task"};
        static const char *const name[] = {"tables/tasks.tex", "tables/models.tex"};
        for (int i = 0; i < 2; i++) {
            if (!out_path(s, e, name[i], path, sizeof path))
                continue;
            add(&a, "latex");
            add_opt(&a, "-o", path);
            add_opt(&a, "--by", by[i]);
            add_filter(&a, e, true);
            run(c, p, e, name[i], &a);
        }
    }
    if (e->produce & WP_PRODUCE_FIGURES && out_path(s, e, "figures", path, sizeof path)) {
        add(&a, "chart");
        add(&a, "all");
        add_opt(&a, "-o", path);
        add_filter(&a, e, true);
        run(c, p, e, "figures", &a);
    }
    if (e->produce & WP_PRODUCE_STATS && out_path(s, e, "stats.json", path, sizeof path))
        stats_json(c, p, e, path);
    if (e->produce & WP_PRODUCE_EXPORTS && out_path(s, e, "exports", path, sizeof path) &&
        made(path))
        exports(c, s, e, p);
}

static size_t count_outputs(const struct wp_batch_entry *e)
{
    size_t n = 0;
    n += (e->produce & WP_PRODUCE_REPORT) ? 2 : 0;
    n += (e->produce & WP_PRODUCE_XLSX) != 0;
    n += (e->produce & WP_PRODUCE_CARDS) != 0;
    n += (e->produce & WP_PRODUCE_LATEX) ? 2 : 0;
    n += (e->produce & WP_PRODUCE_FIGURES) != 0;
    n += (e->produce & WP_PRODUCE_STATS) != 0;
    for (unsigned bit = WP_PRODUCE_BOAMPS; bit <= WP_PRODUCE_EUAIACT; bit <<= 1)
        n += (e->produce & bit) != 0;
    return n;
}

int wp_cmd_batch(struct wp_cli *c, int argc, char **argv)
{
    if (argc != 2)
        return wp_cli_usage(CMD, "give exactly one batch SPEC file");
    struct wp_batch_spec s;
    struct wp_diag d = {0};
    if (wp_batch_spec_load(argv[1], &s, &d)) {
        wp_cli_error(&d);
        wp_batch_spec_free(&s);
        return WP_EXIT_FAIL;
    }
    /* a database that cannot be read fails the batch before any folder is made */
    struct wp_store *db = wp_cli_open_store(c);
    if (!db) {
        wp_batch_spec_free(&s);
        return WP_EXIT_FAIL;
    }
    wp_store_close(db);
    struct progress p = {.tty = isatty(STDERR_FILENO)};
    for (size_t i = 0; i < s.n; i++)
        p.total += count_outputs(&s.entries[i]);
    bool quiet = c->quiet;
    c->quiet = true; /* one summary line instead of every command's messages */
    /* the outputs of all entries share their statistics: each computed once */
    c->memo = wp_analysis_memo_new();
    if (!c->memo) {
        fprintf(stderr, "wattprint: batch: out of memory\n");
        wp_batch_spec_free(&s);
        return WP_EXIT_FAIL;
    }
    for (size_t i = 0; i < s.n; i++)
        entry_outputs(c, &s, &s.entries[i], &p);
    size_t reused = wp_analysis_memo_hits(c->memo);
    wp_analysis_memo_free(c->memo);
    c->memo = NULL;
    c->quiet = quiet;
    if (p.tty)
        fputc('\n', stderr);
    size_t failed = p.total - p.written;
    if (!quiet || failed)
        fprintf(stderr, "wattprint: batch %s: %zu reports, %zu outputs written, %zu failed, in %s "
                        "(%zu analyses shared between outputs)\n",
                argv[1], s.n, p.written, failed, s.output, reused);
    wp_batch_spec_free(&s);
    return failed ? WP_EXIT_FAIL : WP_EXIT_OK;
}
