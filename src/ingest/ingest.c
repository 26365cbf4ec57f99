/* The ingest driver: for one file, detect its format, recognise content seen before (the
 * whole file, the same rows stored another way, or a file that grew since), run the parser inside one transaction, set bad
 * rows aside or stop on them, record the file's provenance and label its runs. */
#include "ingest/ingest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/ahead.h"
#include "ingest/basis.h"
#include "ingest/label.h"
#include "ingest/pipe.h"
#include "ingest/plausible.h"
#include "ingest/shards.h"

#define PEEK_BYTES 65536

struct driver {
    struct wp_store *s;
    const struct wp_ingest_opts *o;
    const char *path;
    long long source_id;
    struct wp_file_result *res;
    struct wp_plausible plausible; /* what the file's rows look like (warnings at the end) */
    /* the parser's messages come after what the store says of the rows before them */
    struct wp_reporter in_order;
    enum wp_err held;     /* a failure sending those rows, returned at the next row */
    struct wp_diag held_d;
    /* whether the file was looked at beside the stored versions of other files with its
     * first two rows (one log at two lengths: related_before, related_after) */
    bool grown_checked;
    bool rows_without_uid; /* a row whose run has no uid: only such rows may count twice */
    bool regular;          /* the file is a regular file (it can be read again) */
};

/* Lets the store say what it held back (conflicts, on a server) before a parser message,
 * so that messages come in the order of the lines they are about. */
static void report_in_order(void *ctx, enum wp_level level, const struct wp_diag *d)
{
    struct driver *dr = ctx;
    if (!dr->held)
        dr->held = wp_store_flush(dr->s, &dr->held_d);
    if (dr->o->rep && dr->o->rep->fn)
        dr->o->rep->fn(dr->o->rep->ctx, level, d);
}

/* Counts what the store did with a measurement (now or, on a server, a little later). */
static void on_stored(void *ctx, const struct wp_queued *q, const struct wp_add_result *ar)
{
    struct driver *dr = ctx;
    switch (ar->outcome) {
    case WP_ADD_DUPLICATE:
        dr->res->duplicates++;
        return;
    case WP_ADD_CONFLICT:
        dr->res->conflicts++; /* each one: the user decides which row is right */
        wp_report(dr->o->rep, WP_WARN, dr->path, q->line, 0,
                  "run_id %s%s%s already holds different values (%s): kept as a separate "
                  "run",
                  q->run_label, *q->phase ? " phase " : "", q->phase, ar->other);
        break;
    default:
        break;
    }
    if (q->energy_j != q->energy_j)
        dr->res->no_energy++;
    dr->res->rows_added++;
}

static enum wp_err on_measurement(void *ctx, const struct wp_measurement *m,
                                  const char *group_key, struct wp_diag *d)
{
    struct driver *dr = ctx;
    if (dr->held) {
        if (d)
            *d = dr->held_d;
        return dr->held;
    }
    wp_plausible_check(&dr->plausible, m);
    if (!dr->rows_without_uid && !wp_store_has_run_uid(m))
        dr->rows_without_uid = true;
    struct wp_measurement marked = *m; /* the parser's strings, the marks static */
    wp_basis_mark(&marked);
    enum wp_err e = wp_store_queue_measurement(dr->s, dr->source_id, &marked, group_key,
                                               on_stored, dr, d);
    if (e && d && !wp_diag_has_file(d)) {
        wp_diag_set_file(d, dr->path);
        d->line = m->line;
    }
    return e;
}

/* Whether on_bad_row stops the file at a bad row, doing nothing else (the pipe's parser
 * thread then stops by itself). */
static bool stops_on_bad_row(const struct driver *dr)
{
    return !dr->o->skip_bad_rows;
}

static enum wp_err on_bad_row(void *ctx, const char *raw, struct wp_diag *d)
{
    struct driver *dr = ctx;
    if (stops_on_bad_row(dr)) {
        d->bad_row = true;
        return WP_ERR_PARSE;
    }
    enum wp_err e = wp_store_add_rejected(dr->s, dr->source_id, d->line, d->col, d->msg,
                                          raw ? raw : "", d);
    if (e)
        return e;
    dr->res->rows_rejected++;
    return WP_OK;
}

/* Whether head[0..len) is only spaces, tabs and line ends (the peek is not a C string). */
static bool only_blank(const char *head, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r\n", head[i]))
            return false;
    return true;
}

/* Picks the format that is surest the file is its own.  When none is, each reader's reason
 * is a note (as many as there are: one message could not hold them all) and the error
 * says what to do. */
static enum wp_err detect(struct wp_reader *r, const char *path, const char *want,
                          const struct wp_reporter *rep, const struct wp_format **out,
                          struct wp_diag *d)
{
    const char *head;
    size_t len;
    enum wp_err e = wp_reader_peek(r, PEEK_BYTES, &head, &len, d);
    if (e)
        return e;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (want) {
        if (!(*out = wp_format_find(want)))
            return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                               "unknown format \"%s\" (see wattprint formats)", want);
        return WP_OK;
    }
    if (len == 0)
        return wp_diag_set(d, WP_ERR_FORMAT, path, 0, 0, "empty file");
    if (len >= 2 && ((head[0] == '\xff' && head[1] == '\xfe') ||
                     (head[0] == '\xfe' && head[1] == '\xff')))
        return wp_diag_set(d, WP_ERR_FORMAT, path, 1, 0,
                           "UTF-16 text: convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)");
    if (memchr(head, '\0', len))
        return wp_diag_set(d, WP_ERR_FORMAT, path, 1, 0,
                           "binary data (NUL bytes), not a text log");
    if (only_blank(head, len))
        return wp_diag_set(d, WP_ERR_FORMAT, path, 0, 0, "empty file (only blank lines)");
    int best = 0;
    size_t tried = 0;
    for (int pass = 0; pass < 2 && !best; pass++) /* the second tells why none claims it */
        for (size_t i = 0; wp_formats[i]; i++) {
            if (!wp_format_is_detected(wp_formats[i]))
                continue; /* read only when named */
            char why[160] = "";
            int score = wp_format_detect(wp_formats[i], head, len, name, why, sizeof why);
            tried += pass == 0;
            if (score > best) {
                best = score;
                *out = wp_formats[i];
            } else if (pass == 1)
                wp_report(rep, WP_NOTE, path, 0, 0, "%s does not read it: %s",
                          wp_formats[i]->name, *why ? why : "no reason given");
        }
    if (best > 0)
        return WP_OK;
    return wp_diag_set(d, WP_ERR_FORMAT, path, 1, 0,
                       "not a recognised format: none of the %zu readers claims it (each "
                       "one's reason is a note); --format NAME forces one, --format generic "
                       "--map FILE reads any other CSV", tried);
}

/* The SHA-256 of the first n bytes of the regular file at path, if it stays as stat'ed
 * (*st) while they are read: false when it cannot be had or the file changed meanwhile. */
static bool sha_steady(const char *path, const struct stat *st, long long n, char sha[65])
{
    struct stat now;
    return wp_file_prefix_sha256(path, n, sha, NULL) == WP_OK && stat(path, &now) == 0 &&
           now.st_size == st->st_size && now.st_mtim.tv_sec == st->st_mtim.tv_sec &&
           now.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
}

/* For a file ingested before from the same path (*prior_found: the path was at all): is
 * this file that content (*same, its SHA-256 in same_sha: the whole file's hash is the
 * stored one's; a gzip is hashed whole for that only when its size is the stored one's), or
 * that content grown (*source_id and *skip say where it continues)? */
static enum wp_err find_append(struct wp_store *s, struct wp_reader *r, const char *path,
                               long long *source_id, long long *skip, bool *prior_found,
                               bool *same, char same_sha[65], struct wp_diag *d)
{
    *source_id = 0;
    *skip = 0;
    *prior_found = false;
    *same = false;
    if (wp_reader_is_stdin(r))
        return WP_OK;
    struct wp_prior_file prior;
    enum wp_err e = wp_store_find_prior(s, path, &prior, d);
    *prior_found = !e && prior.found;
    struct stat st;
    if (e || !prior.found || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return e;
    char sha[65];
    if (wp_reader_is_gzip(r)) {
        *same = st.st_size == prior.size_bytes && sha_steady(path, &st, st.st_size, sha) &&
                strcmp(sha, prior.sha256) == 0;
        if (*same)
            memcpy(same_sha, prior.sha256, 65);
        return WP_OK;
    }
    if (prior.consumed_bytes <= 0 || !sha_steady(path, &st, prior.consumed_bytes, sha))
        return WP_OK; /* shorter than before: a different file now */
    if (strcmp(sha, prior.prefix_sha256) == 0) {
        *source_id = prior.source_id;
        *skip = prior.consumed_bytes;
        *same = st.st_size == prior.consumed_bytes && prior.size_bytes == prior.consumed_bytes &&
                strcmp(prior.sha256, prior.prefix_sha256) == 0;
        if (*same)
            memcpy(same_sha, prior.sha256, 65);
    }
    return WP_OK;
}

/* The SHA-256 of the whole file before it is parsed, where that costs little: the read-
 * ahead's (its reader hashed the file whole), else one more read of a regular file under
 * WP_INGEST_PIPE_MIN_BYTES (in the page cache).  false: not known before the parse. */
static bool sha_before(struct wp_reader *r, const struct wp_pipe_record *rec,
                       const char *path, char sha[65])
{
    long long size;
    if (rec && wp_pipe_record_parsed(rec))
        return wp_reader_finish(r, sha, &size, NULL) == WP_OK;
    struct stat st;
    return !wp_reader_is_stdin(r) && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           st.st_size < WP_INGEST_PIPE_MIN_BYTES && sha_steady(path, &st, st.st_size, sha);
}

/* Stores labels as a rule of this source file (and, with experiment, of its runs of that
 * experiment label). */
static enum wp_err source_rule(struct driver *dr, const char *origin, const char *experiment,
                               const struct wp_ingest_labels *l, struct wp_diag *d)
{
    struct wp_label_rule rule;
    if (!wp_label_rule_of(l, origin, dr->source_id, experiment, &rule))
        return WP_OK;
    return wp_store_rules_put(dr->s, NULL, &rule, 1, d);
}

static enum wp_err on_file_labels(void *ctx, const char *origin,
                                  const struct wp_ingest_labels *l, struct wp_diag *d)
{
    return source_rule(ctx, origin, NULL, l, d);
}

static enum wp_err on_experiment_labels(void *ctx, const char *origin, const char *experiment,
                                        const struct wp_ingest_labels *l, struct wp_diag *d)
{
    return source_rule(ctx, origin, experiment, l, d);
}

/* --replace: the earlier versions of this path go, unless this is one of them unchanged
 * (then the ingest finds it unchanged and changes nothing). */
static enum wp_err drop_earlier(struct driver *dr, struct wp_diag *d)
{
    struct stat st;
    char sha[65];
    bool seen = false;
    if (stat(dr->path, &st) != 0)
        return wp_diag_set(d, WP_ERR_IO, dr->path, 0, 0, "cannot read: %s", strerror(errno));
    enum wp_err e = wp_file_prefix_sha256(dr->path, (long long)st.st_size, sha, d);
    if (!e)
        e = wp_store_has_content(dr->s, sha, &seen, d);
    if (!e && !seen)
        e = wp_store_source_drop(dr->s, dr->path, &dr->res->replaced, d);
    return e;
}

/* Whether the log at the path of another file's version v (first two rows head) still
 * holds v's rows and begins with the n rows of a file whose rows hash is `rows`: *earlier,
 * that file is a copy of the log taken before it grew, whose rows are all stored.  The log
 * is read to v's rows (a log that no longer begins as v did, to its second row only).
 * false: it cannot be told, the log not read there (moved, another folder, standard input)
 * or no longer v's (other first rows, or not v's rows: written anew). */
static bool earlier_copy_of(const struct wp_grown_from *v, const char *head, long long n,
                            const char *rows, bool *earlier)
{
    struct stat st;
    char now[65];
    *earlier = false;
    if (strcmp(v->path, "-") == 0 || stat(v->path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    struct wp_rows_prefix p = {.rows = n}, q = {.rows = v->rows_count};
    if (wp_reader_prefixes(v->path, &st, &p, 1, NULL, now, NULL) || strcmp(now, head) != 0)
        return false;
    if (wp_reader_prefixes(v->path, &st, &q, 1, NULL, NULL, NULL) ||
        strcmp(q.sha256, v->complete_sha256) != 0)
        return false;
    *earlier = strcmp(p.sha256, rows) == 0; /* else a log that begins so, and goes on
                                               otherwise */
    return true;
}

/* Logs read again at their paths, at most, to tell whether a file is an earlier copy. */
#define EARLIER_READS 8

/* Whether a file of n rows (their hash rows) is a copy of a longer stored version's log
 * taken before it grew: dr->res->copy names it.  v[0..nv): the versions with its first
 * two rows, the longest first; each log is read once, at its longest version, up to
 * EARLIER_READS of them; *untold names one that could not be told. */
static bool earlier_copy(struct driver *dr, const char *head, const struct wp_grown_from *v,
                         size_t nv, long long n, const char *rows, const char **untold)
{
    const char *read[EARLIER_READS]; /* each log once: its longest version (v: longest first) */
    int reads = 0;
    for (size_t i = 0; i < nv; i++) {
        bool earlier = false, again = false;
        if (v[i].rows_count <= n)
            break;
        for (int k = 0; k < reads && !again; k++)
            again = strcmp(read[k], v[i].path) == 0;
        if (again)
            continue;
        if (reads == EARLIER_READS) { /* more look-alike logs than are read */
            *untold = *untold ? *untold : v[i].path;
            break;
        }
        read[reads++] = v[i].path;
        if (!earlier_copy_of(&v[i], head, n, rows, &earlier)) {
            *untold = *untold ? *untold : v[i].path;
            continue;
        }
        if (earlier) {
            struct wp_rows_copy *c = &dr->res->copy;
            *c = (struct wp_rows_copy){.found = true, .rows = n, .of_rows = v[i].rows_count};
            snprintf(c->path, sizeof c->path, "%s", v[i].path);
            snprintf(c->ingested_at, sizeof c->ingested_at, "%s", v[i].ingested_at);
            return true;
        }
    }
    return false;
}

/* The warning for a file that may be a copy of a longer log taken before it grew, when that
 * log cannot be read to tell. */
static void warn_untold(struct driver *dr, const char *untold)
{
    if (untold)
        wp_report(dr->o->rep, WP_WARN, dr->path, 0, 0,
                  "its first two lines are those of %s, which has more lines: if this is a "
                  "copy of that log taken before it grew, its runs are counted twice; that "
                  "log could not be read to tell (moved, written anew, or one of more than "
                  "%d logs that begin so)", untold, EARLIER_READS);
}

/* The versions of other files with the first two rows head (wp_store_grown_from), into a
 * new array *v (*nv of them, none: NULL), when any version has them. */
static enum wp_err related_versions(struct driver *dr, const char *head,
                                    struct wp_grown_from **v, size_t *nv, struct wp_diag *d)
{
    enum { MAX = 256 };
    bool found = false;
    *v = NULL;
    *nv = 0;
    enum wp_err e = wp_store_head_seen(dr->s, head, &found, d);
    if (e || !found)
        return e;
    if (!(*v = malloc(MAX * sizeof **v)))
        return wp_diag_set(d, WP_ERR_NOMEM, dr->path, 0, 0, "out of memory");
    if ((e = wp_store_grown_from(dr->s, head, dr->path, *v, MAX, nv, d)) || !*nv) {
        free(*v);
        *v = NULL;
    }
    return e;
}

/* Before a regular file of a format that appends (fmt->appends) is parsed: it and a stored
 * version of another file with its first two rows may be one log at two lengths, whose
 * shared rows were counted under the other name.  The file is read (wp_reader_prefixes:
 * its rows, and their hash at each of those versions' row counts):
 * - a longer version whose log still begins with all of this file's rows (read there):
 *   this file is a copy of that log taken before it grew: *copy, dr->res->copy names it,
 *   nothing to add;
 * - else a shorter version whose rows hash is that of as many rows of this file: a copy of
 *   the log taken after it grew, or the log grown after a copy of it was ingested; *skip
 *   (what the parse skips: a same-path append's) moves to where the longest such rows end,
 *   past it, and dr->res->grown names the version.
 * A longer log that cannot be read at its path is warned about. */
static enum wp_err related_before(struct driver *dr, struct wp_reader *r,
                                  const struct stat *st, long long *skip, bool *copy,
                                  struct wp_diag *d)
{
    *copy = false;
    dr->grown_checked = true;
    const char *head = wp_reader_head_sum(r);
    struct wp_grown_from *v;
    size_t nv, np = 0;
    enum wp_err e = head ? related_versions(dr, head, &v, &nv, d) : WP_OK;
    if (e || !head || !v)
        return e;
    struct wp_rows_prefix *p = malloc(nv * sizeof *p); /* each count once, ascending */
    if (!p) {
        free(v);
        return wp_diag_set(d, WP_ERR_NOMEM, dr->path, 0, 0, "out of memory");
    }
    for (size_t i = nv; i-- > 0;)
        if (!np || p[np - 1].rows != v[i].rows_count)
            p[np++].rows = v[i].rows_count;
    struct wp_rows_whole w;
    const char *untold = NULL;
    if ((e = wp_reader_prefixes(dr->path, st, p, np, &w, NULL, d)))
        goto out;
    /* all its rows: a last line without a newline may be cut mid-write, which only its
     * parse can say (finish looks again, without it, when it is) */
    if ((*copy = earlier_copy(dr, head, v, nv, w.rows, w.sha256, &untold)))
        goto out;
    warn_untold(dr, untold);
    for (size_t i = 0; i < nv; i++) { /* the longest first */
        const struct wp_rows_prefix *m = NULL;
        for (size_t k = 0; k < np && !m; k++)
            m = p[k].rows == v[i].rows_count ? &p[k] : NULL;
        if (v[i].rows_count < w.rows && m && m->end > *skip &&
            strcmp(m->sha256, v[i].complete_sha256) == 0) {
            *skip = m->end;
            dr->res->grown = (struct wp_grown){.rows = v[i].rows_count, .end = m->end};
            snprintf(dr->res->grown.path, sizeof dr->res->grown.path, "%s", v[i].path);
            snprintf(dr->res->grown.ingested_at, sizeof dr->res->grown.ingested_at, "%s",
                     v[i].ingested_at);
            break;
        }
    }
out:
    free(p);
    free(v);
    return e;
}

/* After a file is parsed, with the n rows (their hash rows) the parse read (a last line
 * cut mid-write left out): whether it is a copy of a longer stored version's log taken
 * before it grew (that log read at its path; dr->res->copy names it).  For a file looked
 * at before its parse (related_before: dr->grown_checked), only when its last line was cut
 * (then looked at without it); for standard input or a FIFO, which cannot be read again,
 * a shorter version with its first two rows is warned about: it may be that log grown. */
static enum wp_err related_after(struct driver *dr, struct wp_reader *r, long long n,
                                 const char *rows, bool read_whole, struct wp_diag *d)
{
    const char *head = wp_reader_head_sum(r);
    struct wp_grown_from *v;
    size_t nv;
    bool before = dr->grown_checked;
    dr->grown_checked = true;
    enum wp_err e = head && rows ? related_versions(dr, head, &v, &nv, d) : WP_OK;
    if (e || !head || !rows || !v)
        return e;
    const char *untold = NULL;
    if (!earlier_copy(dr, head, v, nv, n, rows, &untold) && !before) {
        warn_untold(dr, untold);
        for (size_t i = 0; i < nv; i++)
            if (v[i].rows_count < n) {
                if (read_whole)
                    wp_report(dr->o->rep, WP_WARN, dr->path, 0, 0,
                              "its first two lines are those of %s: if it is that log "
                              "grown, its first part is counted again (a %s log is read "
                              "whole, as one run)", v[i].path, dr->res->format);
                else
                    wp_report(dr->o->rep, WP_WARN, dr->path, 0, 0,
                              "its first two lines are those of %s: if it is that log "
                              "grown, the runs of its first lines are counted twice, and it "
                              "cannot be read again to tell; ingest it as a file instead",
                              v[i].path);
                break;
            }
    }
    free(v);
    return WP_OK;
}

static enum wp_err finish(struct driver *dr, struct wp_reader *r, struct wp_sink *sink,
                          bool appending, bool revision, struct wp_diag *d)
{
    char sha[65], prefix[65];
    long long size;
    bool seen;
    /* every measurement counted before the counts are stored */
    enum wp_err e = dr->held;
    if (e && d)
        *d = dr->held_d;
    if (!e)
        e = wp_store_flush(dr->s, d);
    /* this content seen before: unchanged.  Else other bytes, the same rows (gzipped,
     * CRLF, a newline added, rows in another order, JSON laid out anew): a copy, which
     * would count its runs again where no run id tells them apart.  Versions stored before
     * the set-of-rows hash hold the hash over the text in order: a copy of one is
     * recognised by that one (unless reordered). */
    if (e || (e = wp_reader_finish(r, sha, &size, d)))
        return e;
    const char *rows = wp_reader_rows_sha256(r);
    /* a file whose every row names its run's uid cannot count twice (its rows join their
     * runs: "already in the database"), so it is not looked for as a grown copy, and its
     * first rows are not kept to find copies of it (the study's ingest 4 % fewer
     * instructions: a page of an index of random keys written at each commit) */
    const char *head = dr->rows_without_uid ? wp_reader_head_sum(r) : NULL;
    long long complete_n;
    const char *complete = wp_reader_rows_complete(r, sink->consumed, &complete_n);
    bool may_have_grown, cut = complete && complete_n < wp_reader_rows_count(r);
    if ((e = wp_store_file_seen(dr->s, sha, rows, wp_reader_rows_sha256_legacy(r),
                                dr->grown_checked && !cut ? NULL : head, complete_n, &seen,
                                &dr->res->copy, &may_have_grown, d)))
        return e;
    memcpy(dr->res->sha256, sha, sizeof dr->res->sha256);
    if (seen) {
        dr->res->outcome = WP_FILE_UNCHANGED;
        return WP_OK;
    }
    if (dr->res->copy.found) {
        dr->res->outcome = WP_FILE_COPY;
        return WP_OK;
    }
    /* the same path with other content, not grown: a new version of the file, whose runs
     * would count beside the old version's */
    if (revision)
        return wp_diag_set(d, WP_ERR_CONFLICT, dr->path, 0, 0,
                           "changed since it was ingested, other than by growing: the "
                           "database keeps the runs of the earlier version; give --replace "
                           "to replace them with this version, or ingest a copy under "
                           "another name to keep both");
    if (may_have_grown && (e = related_after(dr, r, complete_n, complete, dr->regular, d)))
        return e;
    if (dr->res->copy.found) { /* a copy of a longer log, taken before it grew */
        dr->res->outcome = WP_FILE_COPY;
        return WP_OK;
    }
    if (!appending && !dr->res->rows_added && !dr->res->rows_rejected && sink->no_data[0]) {
        dr->res->outcome = WP_FILE_NODATA;
        return WP_OK;
    }
    bool whole = sink->consumed >= size || wp_reader_is_stdin(r) || wp_reader_is_gzip(r);
    if (whole)
        memcpy(prefix, sha, sizeof prefix);
    else if ((e = wp_file_prefix_sha256(dr->path, sink->consumed, prefix, d)))
        return e;
    struct wp_source_done done = {
        .sha256 = sha,
        .prefix_sha256 = whole && !wp_reader_is_gzip(r) ? sha : prefix,
        .rows_sha256 = rows,
        .head_sum = complete ? head : NULL,
        .rows_count = complete_n,
        .complete_sha256 = complete,
        .size_bytes = size,
        .consumed_bytes = sink->consumed,
        .rows_added = dr->res->rows_added,
        .rows_rejected = dr->res->rows_rejected,
    };
    if ((e = wp_store_source_finish(dr->s, dr->source_id, &done, d)))
        return e;
    if (!appending && (e = source_rule(dr, "command line", NULL, &dr->o->labels, d)))
        return e;
    dr->res->outcome = appending ? WP_FILE_APPENDED : WP_FILE_INGESTED;
    if (!appending && !dr->res->rows_added && !dr->res->rows_rejected && !dr->res->duplicates)
        wp_report(dr->o->rep, WP_WARN, dr->path, 0, 0, "no runs in this file (no data rows)");
    return wp_label_apply(dr->s, dr->source_id, dr->o->rep, NULL, d);
}

/* Whether the parser of the content at `path` (as the file system names it) gets a thread
 * of its own. */
static bool use_pipe(const struct wp_ingest_opts *o, const char *path)
{
    struct stat st;
    switch (o->threads) {
    case WP_INGEST_THREADS_ONE:
        return false;
    case WP_INGEST_THREADS_TWO:
        return true;
    case WP_INGEST_THREADS_AUTO:
        break;
    }
    if (strcmp(path, "-") == 0)
        return true;
    return stat(path, &st) == 0 && st.st_size >= WP_INGEST_PIPE_MIN_BYTES;
}

/* Runs fmt's parser over r into the driver's sink: on this thread, or on a second one while
 * this one stores the rows (pipe.h), or replays its parse recorded ahead (rec); the same
 * rows, messages and errors each way. */
static enum wp_err run_parser(struct driver *dr, const struct wp_format *fmt,
                              struct wp_reader *r, struct wp_pipe_record *rec,
                              const char *path, struct wp_sink *sink, struct wp_diag *d)
{
    if (rec)
        return wp_pipe_replay(rec, sink, d);
    if (!use_pipe(dr->o, path))
        return fmt->parse(r, sink, d);
    return wp_pipe_parse(fmt, r, sink, stops_on_bad_row(dr), d);
}

/* The sink through which a parser hands its rows and labels to the driver dr. */
static struct wp_sink driver_sink(struct driver *dr)
{
    dr->in_order = (struct wp_reporter){report_in_order, dr};
    return (struct wp_sink){
        .measurement = on_measurement,
        .bad_row = on_bad_row,
        .file_labels = on_file_labels,
        .experiment_labels = on_experiment_labels,
        .ctx = dr,
        .rep = &dr->in_order,
        .fmt = &dr->o->fmt,
    };
}

/* The end of an ingest: rolls back what is still open, names path in a failure that names
 * no file, closes the reader; returns e. */
static enum wp_err close_out(struct wp_store *s, bool in_tx, struct wp_reader *r,
                             const char *path, enum wp_err e, struct wp_diag *d)
{
    if (in_tx)
        wp_store_rollback(s);
    if (e && d && !wp_diag_has_file(d) && e != WP_ERR_USAGE)
        wp_diag_set_file(d, path);
    wp_reader_close(r);
    return e;
}

/* A copy of rows stored before (WP_FILE_COPY) given with --replace: nothing of it is
 * stored, and its path's earlier runs go all the same, as --replace says, alone in a
 * transaction of their own (what the ingest wrote, in *in_tx, goes back first). */
static enum wp_err replace_with_copy(struct driver *dr, bool *in_tx, struct wp_diag *d)
{
    if (*in_tx)
        wp_store_rollback(dr->s);
    *in_tx = false;
    enum wp_err e = wp_store_begin(dr->s, d);
    if (e)
        return e;
    *in_tx = true;
    if (!(e = drop_earlier(dr, d)) && !(e = wp_store_commit(dr->s, d)))
        *in_tx = false;
    return e;
}

/* Ingests path; with what the read-ahead made of it (pre->r not NULL: its reader, format and
 * recorded parse, which this takes), else reading it here.  grown: NULL, or what
 * related_before found before a parse recorded ahead was dropped (grown->rows 0: nothing),
 * which is not looked for again: the stored rows it begins with, read from their end. */
static enum wp_err ingest_as(struct wp_store *s, const char *path,
                             const struct wp_ingest_opts *o, struct wp_ahead_read *pre,
                             const struct wp_grown *grown, struct wp_file_result *res,
                             struct wp_diag *d)
{
    memset(res, 0, sizeof *res);
    struct wp_reader *r = pre->r;
    const struct wp_format *fmt = pre->fmt;
    struct wp_pipe_record *rec = pre->rec;
    *pre = (struct wp_ahead_read){0};
    struct driver dr = {.s = s, .o = o, .path = path, .res = res};
    struct wp_sink sink = driver_sink(&dr);
    bool in_tx = false;
    enum wp_err e = WP_OK;
    if (!r && ((e = wp_reader_open(path, &r, d)) ||
               (e = detect(r, path, o->format, o->rep, &fmt, d))))
        goto out;
    res->format = fmt->name;
    if ((e = wp_store_begin(s, d)))
        goto out;
    in_tx = true;
    /* content stored before (under any path) is unchanged, said before a row of it is
     * parsed where its hash costs little (sha_before; else by find_append for this path's
     * last version, else by finish).  finish says the same after storing the rows again
     * and rolling them back: a batch run again over the same folder paid for every file
     * again, and one ingested with --skip-bad-rows failed again without it.  In the
     * transaction: before it, SQLite took and let go of its read lock for the look-up
     * alone, two system calls a file (the study's ingest 3-5 % slower). */
    char sha[65];
    bool seen = false;
    if (sha_before(r, rec, path, sha) && (e = wp_store_has_content(s, sha, &seen, d)))
        goto out;
    if (seen) {
        memcpy(res->sha256, sha, sizeof res->sha256);
        res->outcome = WP_FILE_UNCHANGED;
        goto out; /* rolled back: nothing was written */
    }
    bool prior_found, same;
    if ((e = find_append(s, r, path, &dr.source_id, &sink.skip_until, &prior_found, &same,
                         res->sha256, d)))
        goto out;
    if (same) { /* this path's last version, byte for byte */
        res->outcome = WP_FILE_UNCHANGED;
        goto out; /* rolled back: nothing was written */
    }
    bool appending = dr.source_id != 0, replacing = !appending && prior_found && o->replace;
    struct stat st;
    dr.regular = !wp_reader_is_stdin(r) && stat(path, &st) == 0 && S_ISREG(st.st_mode);
    if (grown) { /* looked at before a parse recorded ahead was dropped */
        dr.grown_checked = true;
        res->grown = *grown;
        if (grown->end > sink.skip_until)
            sink.skip_until = grown->end;
    } else if (fmt->appends && dr.regular) {
        /* one log at two lengths, this and another file: known before a row is parsed */
        bool copy;
        if ((e = related_before(&dr, r, &st, &sink.skip_until, &copy, d)))
            goto out;
        if (copy) { /* nothing of it to store */
            res->outcome = WP_FILE_COPY;
            if (replacing)
                e = replace_with_copy(&dr, &in_tx, d);
            goto out; /* else rolled back: nothing was written */
        }
    }
    if (sink.skip_until && rec) {
        /* a parse recorded ahead read every row: read from where the rows stored before end
         * (this path's last ingest, another file's version), here, without looking again */
        struct wp_grown g = res->grown;
        wp_store_rollback(s);
        wp_pipe_record_free(rec);
        wp_reader_close(r);
        return ingest_as(s, path, o, &(struct wp_ahead_read){0}, dr.grown_checked ? &g : NULL,
                         res, d);
    }
    bool revision = !appending && prior_found && !o->replace;
    if (replacing && (e = drop_earlier(&dr, d)))
        goto out;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (!appending && (e = wp_store_source_new(s, path, name, fmt->name, &dr.source_id, d)))
        goto out;
    if ((e = run_parser(&dr, fmt, r, rec, path, &sink, d)) ||
        (e = finish(&dr, r, &sink, appending, revision, d)))
        goto out;
    res->folded = sink.folded;
    bool kept_nothing = res->outcome == WP_FILE_UNCHANGED || res->outcome == WP_FILE_COPY;
    if (!kept_nothing)
        wp_plausible_report(&dr.plausible, &dr.in_order, path, sink.warns_no_duration);
    if (kept_nothing || res->outcome == WP_FILE_NODATA) {
        wp_store_rollback(s);
        in_tx = false;
        if (res->outcome == WP_FILE_NODATA)
            e = wp_diag_set(d, WP_ERR_EMPTY, path, 0, 0, "%s", sink.no_data);
        res->rows_added = res->rows_rejected = 0;
        res->duplicates = res->conflicts = res->no_energy = res->folded = res->replaced = 0;
        if (res->outcome == WP_FILE_COPY && replacing)
            e = replace_with_copy(&dr, &in_tx, d);
        goto out;
    }
    e = wp_store_commit(s, d);
    in_tx = e != WP_OK;
out:
    wp_pipe_record_free(rec);
    return close_out(s, in_tx, r, path, e, d);
}

static enum wp_err ingest(struct wp_store *s, const char *path, const struct wp_ingest_opts *o,
                          struct wp_ahead_read *pre, struct wp_file_result *res,
                          struct wp_diag *d)
{
    return ingest_as(s, path, o, pre, NULL, res, d);
}

enum wp_err wp_ingest_file(struct wp_store *s, const char *path,
                           const struct wp_ingest_opts *o, struct wp_file_result *res,
                           struct wp_diag *d)
{
    return ingest(s, path, o, &(struct wp_ahead_read){0}, res, d);
}

/* Largest recorded parse of a file read ahead (WP_AHEAD_FILES of them at most): past it,
 * the file is parsed as it is stored (a small gzip may expand a thousandfold: pipe.h's
 * bound on memory holds there).  A file under WP_INGEST_PIPE_MIN_BYTES as text records in
 * about twice its size. */
#define AHEAD_MAX_BYTES (4L << 20)

/* The read-ahead's work on one file (on its thread): a regular file that would be parsed
 * serially is opened, detected and its parse recorded; anything else, or any failure, is
 * left to the ingest, which then says what went wrong as it always does. */
static void prepare(void *ctx, const char *path, struct wp_ahead_read *out)
{
    const struct wp_ingest_opts *o = ctx;
    struct stat st;
    struct wp_diag d = {0};
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size >= WP_INGEST_PIPE_MIN_BYTES) /* use_pipe's choice, without a stat more */
        return;
    if (wp_reader_open_file(path, &st, &out->r, &d)) /* never waits on a FIFO put there */
        return;
    out->st = st;
    /* the ingest pays for a parse of its own (and the same messages) when this fails; the
     * recording takes what the ingest's sink takes (its callbacks are never called here) */
    struct driver dr = {.o = o, .path = path};
    struct wp_sink like = driver_sink(&dr);
    if (detect(out->r, path, o->format, NULL, &out->fmt, &d) ||
        !(out->rec = wp_pipe_record(out->fmt, out->r, &like, !o->skip_bad_rows,
                                    AHEAD_MAX_BYTES))) {
        wp_ahead_read_free(out);
        return;
    }
    /* a parse that ended well is hashed here too (the ingest's wp_reader_finish gives the
     * same again); one that failed is read no further, as it is not when it is stored;
     * either way the file is closed and the buffers freed (a gzip's line may hold 64 MiB) */
    char sha[65];
    long long size;
    if (!wp_pipe_record_parsed(out->rec))
        wp_reader_release(out->r);
    else if (wp_reader_finish(out->r, sha, &size, &d) || size != (long long)st.st_size)
        wp_ahead_read_free(out); /* or it changed while it was read */
    else
        wp_reader_release(out->r);
}

/* Whether the file at path is still the one the worker stat'ed before reading it (st):
 * the same file, size and times.  One written, replaced, grown or deleted since is read
 * again at its turn, as the serial ingest reads it then. */
static bool unchanged_since(const char *path, const struct stat *st)
{
    struct stat now;
    return stat(path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino &&
           now.st_size == st->st_size && now.st_mtim.tv_sec == st->st_mtim.tv_sec &&
           now.st_mtim.tv_nsec == st->st_mtim.tv_nsec &&
           now.st_ctim.tv_sec == st->st_ctim.tv_sec && now.st_ctim.tv_nsec == st->st_ctim.tv_nsec;
}

struct wp_ahead *wp_ingest_read_ahead(const char *const *paths, size_t n,
                                      const struct wp_ingest_opts *o)
{
    if (o->threads != WP_INGEST_THREADS_AUTO || n < 2)
        return NULL;
    return wp_ahead_start(paths, n, prepare, (void *)o);
}

enum wp_err wp_ingest_file_ahead(struct wp_store *s, struct wp_ahead *a, size_t i,
                                 const struct wp_ingest_opts *o, struct wp_file_result *res,
                                 struct wp_diag *d)
{
    const char *path = wp_ahead_path(a, i);
    if (!path)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "no file %zu to read ahead", i);
    struct wp_ahead_read pre;
    wp_ahead_take(a, i, &pre);
    if (pre.r && !unchanged_since(path, &pre.st))
        wp_ahead_read_free(&pre);
    return ingest(s, path, o, &pre, res, d);
}

/* Records shard k of a merged run as a source file of its own (its hash, no rows): the
 * provenance of the run, and what keeps the file from counting again on its own. */
static enum wp_err shard_source(struct wp_store *s, const char *path, long long *id,
                                long long rows, long long rejected, struct wp_diag *d)
{
    struct stat st;
    char sha[65];
    if (stat(path, &st) != 0)
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot read: %s", strerror(errno));
    enum wp_err e = wp_file_prefix_sha256(path, (long long)st.st_size, sha, d);
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (!e && !*id)
        e = wp_store_source_new(s, path, name, "codecarbon", id, d);
    struct wp_source_done done = {
        .sha256 = sha,
        .prefix_sha256 = sha,
        .size_bytes = (long long)st.st_size,
        .consumed_bytes = (long long)st.st_size,
        .rows_added = rows,
        .rows_rejected = rejected,
    };
    if (!e)
        e = wp_store_source_finish(s, *id, &done, d);
    return e;
}

/* Whether each shard was ingested before (by its bytes): *seen of them, *first the first. */
static enum wp_err shards_seen(struct wp_store *s, const char *const *paths, size_t n,
                               size_t *seen, size_t *first, struct wp_diag *d)
{
    *seen = 0;
    *first = n;
    for (size_t k = 0; k < n; k++) {
        struct stat st;
        char sha[65];
        bool found = false;
        if (stat(paths[k], &st) != 0)
            return wp_diag_set(d, WP_ERR_IO, paths[k], 0, 0, "cannot read: %s",
                               strerror(errno));
        enum wp_err e = wp_file_prefix_sha256(paths[k], (long long)st.st_size, sha, d);
        if (!e)
            e = wp_store_has_content(s, sha, &found, d);
        if (e)
            return e;
        if (found && !(*seen)++)
            *first = k;
    }
    return WP_OK;
}

enum wp_err wp_ingest_shards(struct wp_store *s, const char *const *paths, size_t n,
                             const struct wp_ingest_opts *o, struct wp_file_result *res,
                             struct wp_shards_info *info, struct wp_diag *d)
{
    memset(res, 0, sizeof *res);
    memset(info, 0, sizeof *info);
    res->format = "codecarbon";
    const struct wp_format *fmt = wp_format_find("codecarbon");
    struct wp_reader *r = NULL;
    FILE *merged = NULL;
    int fd = -1;
    bool in_tx = false;
    struct driver dr = {.s = s, .o = o, .path = paths[0], .res = res};
    struct wp_sink sink = driver_sink(&dr);
    enum wp_err e = fmt ? WP_OK : wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "no codecarbon format");
    for (size_t k = 0; !e && k < n; k++)
        if (strcmp(paths[k], "-") == 0)
            e = wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                            "--shards reads files, not standard input");
    if (e || (e = wp_store_begin(s, d)))
        goto out;
    in_tx = true;
    size_t seen, first;
    if ((e = shards_seen(s, paths, n, &seen, &first, d)))
        goto out;
    if (seen == n) { /* this run, merged before */
        res->outcome = WP_FILE_UNCHANGED;
        goto out;
    }
    if (seen) {
        e = wp_diag_set(d, WP_ERR_CONFLICT, paths[first], 0, 0,
                        "was ingested before on its own: with the other shards its CPU and "
                        "RAM energy (the node's) would count again; ingest the shards of a run "
                        "together, with --shards, into a database that holds none of them");
        goto out;
    }
    /* the merged log: an anonymous file, read through the reader like any other */
    char mpath[64];
    if ((fd = memfd_create("wattprint-shards", MFD_CLOEXEC)) < 0 ||
        !(merged = fdopen(dup(fd), "w+"))) {
        e = wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot make the merged log: %s",
                        strerror(errno));
        goto out;
    }
    snprintf(mpath, sizeof mpath, "/proc/self/fd/%d", fd);
    if ((e = wp_shards_merge(paths, n, merged, info, d)) || (e = wp_reader_open(mpath, &r, d)))
        goto out;
    wp_reader_set_name(r, paths[0]); /* messages name the first shard, not the memfd */
    const char *name = strrchr(paths[0], '/') ? strrchr(paths[0], '/') + 1 : paths[0];
    if ((e = wp_store_source_new(s, paths[0], name, fmt->name, &dr.source_id, d)) ||
        (e = run_parser(&dr, fmt, r, NULL, mpath, &sink, d)))
        goto out;
    e = dr.held;
    if (e && d)
        *d = dr.held_d;
    char sha[65];
    long long size;
    if (e || (e = wp_store_flush(s, d)) || (e = wp_reader_finish(r, sha, &size, d)))
        goto out;
    if ((e = shard_source(s, paths[0], &dr.source_id, res->rows_added, res->rows_rejected, d)))
        goto out;
    for (size_t k = 1; k < n; k++) {
        long long id = 0;
        if ((e = shard_source(s, paths[k], &id, 0, 0, d)))
            goto out;
    }
    res->folded = sink.folded;
    if ((e = source_rule(&dr, "command line", NULL, &o->labels, d)) ||
        (e = wp_label_apply(s, dr.source_id, o->rep, NULL, d)))
        goto out;
    wp_plausible_report(&dr.plausible, &dr.in_order, paths[0], sink.warns_no_duration);
    res->outcome = WP_FILE_INGESTED;
    e = wp_store_commit(s, d);
    in_tx = e != WP_OK;
out:
    e = close_out(s, in_tx, r, paths[0], e, d);
    if (merged)
        fclose(merged);
    if (fd >= 0)
        close(fd);
    return e;
}
