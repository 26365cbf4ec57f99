/* wattprint batch SPEC: every report a batch spec lists (src/report/spec.c reads it), in
 * one process, by calling the report commands' library calls (cli/commands.h) with the
 * entry's filter and output paths confined to the spec's output root: checked once
 * symbolic links are followed, then written through descriptors of folders opened beneath
 * the root without following any (a link swapped in after the check is not followed).
 * Every writer writes atomically, so a failed output leaves no half-written file; a
 * failure names its entry and the batch goes on with the next output, then exits 1. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "report/spec.h"
#include "analysis/analysis.h"
#include "util/atomic.h"
#include "util/path.h"

#define CMD "batch"
#define MAX_WORDS 24

/* The command an output equals, as its provenance records it ("wattprint --db DB report -o
 * PATH --title ..."): only text for the record, the same `wattprint report` with those
 * options would write.  Nothing is parsed from it. */
struct record {
    const char *v[MAX_WORDS];
    int n;
    char where[1024]; /* KEY=VALUE */
};

static void word(struct record *r, const char *s)
{
    if (r->n < MAX_WORDS && s)
        r->v[r->n++] = s;
}

static void word_opt(struct record *r, const char *opt, const char *value)
{
    if (value) {
        word(r, opt);
        word(r, value);
    }
}

/* The entry's filter, as the run filter and as the record's options. */
static struct wp_run_filter filter_of(const struct wp_batch_entry *e, struct record *r)
{
    word_opt(r, "--task", e->task);
    word_opt(r, "--model", e->model);
    word_opt(r, "--dataset", e->dataset);
    word_opt(r, "--phase", e->phase);
    if (e->where_key) {
        snprintf(r->where, sizeof r->where, "%s=%s", e->where_key, e->where_value);
        word_opt(r, "--where", r->where);
    }
    return (struct wp_run_filter){.task = e->task, .model = e->model, .dataset = e->dataset,
                                  .phase = e->phase, .where_key = e->where_key,
                                  .where_value = e->where_value};
}

/* Outputs are counted as they are written: failed is total - written at the end. */
struct progress {
    size_t done, total, written;
    bool tty;
    const char *root; /* the spec's output root */
};

static void step(struct progress *p, const char *entry, const char *what)
{
    p->done++;
    if (p->tty)
        fprintf(stderr, "\rwattprint batch: [%zu/%zu] %s: %-24.24s", p->done, p->total, entry,
                what);
}

/* Counts an output's exit code rc; a failure is reported with the entry's name (and, when
 * the writer named its output by the descriptor of its folder (at_fd), the folder). */
static void done(struct progress *p, const struct wp_batch_entry *e, const char *what,
                 const char *path, int rc)
{
    if (rc == WP_EXIT_OK) {
        p->written++;
        return;
    }
    if (p->tty)
        fputc('\n', stderr);
    bool pinned = path && strncmp(path, "/proc/self/fd/", 14) == 0;
    wp_cli_sayf("batch entry \"%s\" (line %ld): %s failed%s%s%s%s%s", e->name, e->line, what,
                pinned ? " (" : "", pinned ? p->root : "", pinned ? "/" : "",
                pinned ? e->dir : "",
                pinned ? ", which the batch writes through /proc/self/fd: the folder it "
                         "holds open)" : "");
}

/* The record's text (NULL when out of memory: the output fails). */
static char *record_text(const struct wp_cli *c, const struct record *r)
{
    char *t = wp_report_command_line(c, r->n, r->v);
    if (!t)
        fprintf(stderr, "wattprint: out of memory\n");
    return t;
}

/* The report into path (written through), its record naming shown (the path for people). */
static int report(struct wp_cli *c, const struct wp_batch_spec *s,
                  const struct wp_batch_entry *e, const char *path, const char *shown)
{
    struct wp_report_opts o;
    wp_report_cmd_defaults(c, &o);
    struct record r = {.n = 0};
    word(&r, "report");
    word_opt(&r, "-o", shown);
    word_opt(&r, "--paper", s->paper);
    word_opt(&r, "--title", e->title);
    word_opt(&r, "--subtitle", e->subtitle);
    word_opt(&r, "--organisation", e->organisation);
    o.a.filter = filter_of(e, &r);
    o.path = path;
    o.paper = s->paper && strcmp(s->paper, "letter") == 0 ? WP_PAPER_LETTER : WP_PAPER_A4;
    o.title = e->title;
    o.subtitle = e->subtitle;
    o.organisation = e->organisation;
    char *command = record_text(c, &r);
    if (!command)
        return WP_EXIT_FAIL;
    o.command_line = command;
    int rc = wp_report_cmd_run(c, &o);
    free(command);
    return rc;
}

static int workbook(struct wp_cli *c, const struct wp_batch_entry *e, const char *path,
                    const char *shown)
{
    struct wp_xlsx_cmd x;
    wp_xlsx_cmd_defaults(&x);
    struct record r = {.n = 0};
    word(&r, "xlsx");
    word_opt(&r, "-o", shown);
    x.r.a.filter = filter_of(e, &r);
    x.path = path;
    char *command = record_text(c, &r);
    if (!command)
        return WP_EXIT_FAIL;
    x.command_line = command;
    int rc = wp_xlsx_cmd_run(c, &x);
    free(command);
    return rc;
}

/* A card rates its model among every model of each task: only the model and the phase
 * narrow it. */
static int cards(struct wp_cli *c, const struct wp_batch_entry *e, const char *dir)
{
    struct wp_card_cmd k;
    wp_card_cmd_defaults(&k);
    k.model = e->model;
    k.all = !e->model;
    k.out = dir;
    k.r.a.filter.phase = e->phase;
    return wp_card_cmd_run(c, &k, c->out);
}

static int latex(struct wp_cli *c, const struct wp_batch_entry *e, enum wp_group_by by,
                 const char *path)
{
    struct wp_latex_cmd x;
    wp_latex_cmd_defaults(&x);
    struct record r = {.n = 0};
    x.r.a.filter = filter_of(e, &r);
    x.r.a.by = by;
    x.path = path;
    return wp_latex_cmd_run(c, &x, c->out);
}

static int figures(struct wp_cli *c, const struct wp_batch_entry *e, const char *dir)
{
    struct wp_chart_cmd k;
    wp_chart_cmd_defaults(&k);
    struct record r = {.n = 0};
    struct wp_run_filter f = filter_of(e, &r);
    k.all = true;
    k.outputs[k.n_outputs++] = dir;
    k.o.task = f.task;
    k.o.model = f.model;
    k.dataset = f.dataset;
    k.phase = f.phase;
    k.where_key = f.where_key;
    k.where_value = f.where_value;
    return wp_chart_cmd_run(c, &k);
}

/* stats.json: the stats command's JSON, written atomically. */
static int stats_json(struct wp_cli *c, const struct wp_batch_entry *e, const char *path)
{
    struct wp_stats_cmd o;
    wp_stats_cmd_defaults(&o);
    struct record r = {.n = 0};
    o.fmt = WP_OUT_JSON;
    o.a.filter = filter_of(e, &r);
    struct wp_atomic at;
    FILE *out = wp_cli_output_begin(c, path, &at);
    if (!out)
        return WP_EXIT_FAIL;
    return wp_cli_output_end(&at, wp_stats_cmd_run(c, &o, out));
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

/* The folder `rel` beneath the open folder `fd`, made when missing and opened one
 * component at a time without following a symbolic link (wp_path_open_beneath): the
 * outputs are then written through its descriptor, so that a link swapped in after the
 * checks leads nowhere.  -1 after saying why (`shown`: its path, for the message). */
static int pin(int fd, const char *rel, const char *shown)
{
    int out = wp_path_open_beneath(fd, rel, WP_BENEATH_CREATE);
    if (out < 0) {
        int err = errno;
        struct wp_diag d = {0};
        if (err == ELOOP)
            wp_diag_set(&d, WP_ERR_IO, shown, 0, 0,
                        "a symbolic link here leads out of the output root (or is absolute): "
                        "batch outputs are not written through it");
        else
            wp_diag_set(&d, WP_ERR_IO, shown, 0, 0, "cannot make the output folder: %s",
                        err == ENOTDIR ? "a file of that name is there" : strerror(err));
        wp_cli_error(&d);
    }
    return out;
}

/* The path a writer is given for the entry's output `file` (its path under the entry's
 * folder), which is `name` (NULL: the folder itself) in the folder open as fd: through the
 * descriptor (/proc/self/fd/N/name), which no link swapped in since can divert; where /proc
 * cannot name it, the path itself once it stays in the root with links followed (then a
 * link swapped in between that check and the write is not caught).  False after saying
 * why not. */
static bool at_fd(const struct wp_batch_spec *s, const struct wp_batch_entry *e, int fd,
                  const char *file, const char *name, char *buf, size_t size)
{
    struct wp_diag d = {0};
    if (wp_batch_path(s, e, file, buf, size, &d)) { /* the text: no "..", not absolute */
        wp_cli_error(&d);
        return false;
    }
    char pinned[128];
    if (wp_path_pinned(fd, name, pinned, sizeof pinned)) {
        snprintf(buf, size, "%s", pinned);
        return true;
    }
    return out_path(s, e, file, buf, size);
}

/* The path of an entry's output `file` as people know it (its provenance records it; the
 * writer writes through at_fd's), from the spec's text alone: false when at_fd refused it. */
static bool shown_path(const struct wp_batch_spec *s, const struct wp_batch_entry *e,
                       const char *file, char *buf, size_t size)
{
    struct wp_diag d = {0};
    return wp_batch_path(s, e, file, buf, size, &d) == WP_OK;
}

/* One disclosure: `wattprint export FORMAT -o PATH [--format F] [--manifest-if FILE]`
 * with the entry's filter. */
static int export_one(struct wp_cli *c, const struct wp_batch_entry *e, const char *format,
                      const char *path, const char *fmt, const char *manifest_if)
{
    struct wp_export_cmd x;
    wp_export_cmd_defaults(&x);
    struct record r = {.n = 0};
    x.r.a.filter = filter_of(e, &r);
    x.format = format;
    x.out = path;
    x.outfmt_arg = fmt;
    x.manifest_if = manifest_if;
    return wp_export_cmd_run(c, &x);
}

/* The disclosures the entry names, each through the export command's call as the other
 * outputs go through theirs, into the entry's exports/ folder open as xfd: one folder per
 * format that writes one file per model (and task), the SCI table as JSON with its Impact
 * Framework manifest.  Folders are opened beneath it as the entry's are (pin). */
static void exports(struct wp_cli *c, const struct wp_batch_spec *s,
                    const struct wp_batch_entry *e, struct progress *p, int xfd)
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
    char path[4096], manifest[4096], shown[4096], rel[64];
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++) {
        if (!(e->produce & x[i].bit) || !out_path(s, e, x[i].file, shown, sizeof shown))
            continue;
        const char *name = x[i].file + strlen("exports/"); /* in the exports folder */
        size_t len = strlen(name);
        int fd = -1; /* a folder's, open while its command writes through it */
        if (name[len - 1] == '/') { /* a folder: opened beneath, named with its '/' */
            snprintf(rel, sizeof rel, "%.*s", (int)(len - 1), name);
            if ((fd = pin(xfd, rel, shown)) < 0)
                continue;
            if (!at_fd(s, e, fd, x[i].file, NULL, path, sizeof path) ||
                strlen(path) + 2 > sizeof path) {
                close(fd);
                continue;
            }
            if (path[strlen(path) - 1] != '/')
                strcat(path, "/");
        } else if (!at_fd(s, e, xfd, x[i].file, name, path, sizeof path)) {
            continue;
        }
        const char *m = x[i].bit == WP_PRODUCE_SCI &&
                                at_fd(s, e, xfd, "exports/sci.if.yml", "sci.if.yml", manifest,
                                      sizeof manifest)
                            ? manifest
                            : NULL;
        step(p, e->name, x[i].file);
        done(p, e, x[i].file, path, export_one(c, e, x[i].format, path, x[i].fmt, m));
        if (fd >= 0)
            close(fd);
    }
}

static void entry_outputs(struct wp_cli *c, const struct wp_batch_spec *s,
                          const struct wp_batch_entry *e, struct progress *p)
{
    char path[4096], dir[4096], shown[4096];
    /* the root first, so that the entry's folder resolves under it; a folder is checked
     * with links followed (to name a link out), then opened beneath the root */
    if (!made(s->output) || !out_path(s, e, NULL, dir, sizeof dir))
        return;
    int root = open(s->output, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) {
        struct wp_diag d = {0};
        wp_diag_set(&d, WP_ERR_IO, s->output, 0, 0, "cannot open the output folder: %s",
                    strerror(errno));
        wp_cli_error(&d);
        return;
    }
    int efd = pin(root, e->dir, dir);
    close(root);
    if (efd < 0)
        return;
    /* the report as a PDF and as a web page: the same content, analyses shared */
    static const char *const report_names[] = {"report.pdf", "report.html"};
    for (int i = 0; i < 2 && e->produce & WP_PRODUCE_REPORT; i++) {
        if (!at_fd(s, e, efd, report_names[i], report_names[i], path, sizeof path) ||
            !shown_path(s, e, report_names[i], shown, sizeof shown))
            continue;
        step(p, e->name, report_names[i]);
        done(p, e, report_names[i], path, report(c, s, e, path, shown));
    }
    if (e->produce & WP_PRODUCE_XLSX &&
        at_fd(s, e, efd, "summary.xlsx", "summary.xlsx", path, sizeof path) &&
        shown_path(s, e, "summary.xlsx", shown, sizeof shown)) {
        step(p, e->name, "summary.xlsx");
        done(p, e, "summary.xlsx", path, workbook(c, e, path, shown));
    }
    int sub;
    if (e->produce & WP_PRODUCE_CARDS && out_path(s, e, "cards", shown, sizeof shown) &&
        (sub = pin(efd, "cards", shown)) >= 0) {
        if (at_fd(s, e, sub, "cards", NULL, path, sizeof path)) {
            step(p, e->name, "cards");
            done(p, e, "cards", path, cards(c, e, path));
        }
        close(sub);
    }
    if (e->produce & WP_PRODUCE_LATEX && out_path(s, e, "tables", shown, sizeof shown) &&
        (sub = pin(efd, "tables", shown)) >= 0) {
        static const enum wp_group_by by[] = {WP_BY_TASK, WP_BY_MODEL_TASK};
        static const char *const name[] = {"tables/tasks.tex", "tables/models.tex"};
        for (int i = 0; i < 2; i++) {
            if (!at_fd(s, e, sub, name[i], strchr(name[i], '/') + 1, path, sizeof path))
                continue;
            step(p, e->name, name[i]);
            done(p, e, name[i], path, latex(c, e, by[i], path));
        }
        close(sub);
    }
    if (e->produce & WP_PRODUCE_FIGURES && out_path(s, e, "figures", shown, sizeof shown) &&
        (sub = pin(efd, "figures", shown)) >= 0) {
        if (at_fd(s, e, sub, "figures", NULL, path, sizeof path)) {
            step(p, e->name, "figures");
            done(p, e, "figures", path, figures(c, e, path));
        }
        close(sub);
    }
    if (e->produce & WP_PRODUCE_STATS &&
        at_fd(s, e, efd, "stats.json", "stats.json", path, sizeof path)) {
        step(p, e->name, "stats.json");
        done(p, e, "stats.json", path, stats_json(c, e, path));
    }
    if (e->produce & WP_PRODUCE_EXPORTS && out_path(s, e, "exports", shown, sizeof shown) &&
        (sub = pin(efd, "exports", shown)) >= 0) {
        exports(c, s, e, p, sub);
        close(sub);
    }
    close(efd);
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
    struct progress p = {.tty = isatty(STDERR_FILENO), .root = s.output};
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
