/* bench/pgfloor: the server's floor for bench/pg, the least work that puts rows wattprint
 * wrote back into a PostgreSQL database: files of COPY ... TO (FORMAT binary) are read into
 * memory, then sent with COPY ... FROM STDIN (FORMAT binary) in batches of the size
 * wattprint's ingest uses, each batch one COPY per table in the order given (run before
 * measurement, as wattprint sends them), all in one transaction on one connection.  No
 * lookups, no id assignment, no parsing: what is left is the server's own work of storing
 * the rows (its triggers, indexes, WAL and commit).  Bench input only.
 *
 * usage: pgfloor CONNINFO BATCH_ROWS "COPY t (...) FROM STDIN (FORMAT binary)" FILE ...
 * (the environment's PGHOST, PGUSER ... apply).  Prints "ROWS COPIES SECONDS" on stdout,
 * where ROWS is the first file's tuples and SECONDS the wall time from BEGIN to the end of
 * COMMIT, and a line for people on stderr. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TABLES 8

/* One table's rows as the binary COPY file holds them: the header, then tuple i at
 * data + at[i] (at[n] is where the trailer starts). */
struct table {
    const char *copy_sql, *path;
    unsigned char *data;
    size_t size, header, n, *at;
};

static unsigned long be(const unsigned char *p, int bytes)
{
    unsigned long v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

/* Reads t->path and finds its tuples; 0 on success, else a message on stderr. */
static int load(struct table *t)
{
    static const unsigned char sig[11] = "PGCOPY\n\377\r\n";
    FILE *f = fopen(t->path, "rb");
    if (!f) {
        perror(t->path);
        return 1;
    }
    size_t cap = 1 << 20, n;
    t->data = malloc(cap);
    while (t->data && (n = fread(t->data + t->size, 1, cap - t->size, f)) > 0) {
        t->size += n;
        if (t->size == cap) {
            unsigned char *p = realloc(t->data, cap *= 2);
            if (!p) {
                free(t->data);
                t->data = NULL;
                break;
            }
            t->data = p;
        }
    }
    int bad_read = ferror(f);
    fclose(f);
    if (!t->data || bad_read) {
        fprintf(stderr, "pgfloor: %s: %s\n", t->path, bad_read ? "read error" : "out of memory");
        return 1;
    }
    const unsigned char *d = t->data;
    if (t->size < 19 || memcmp(d, sig, sizeof sig) != 0)
        goto bad;
    t->header = 19 + be(d + 15, 4); /* signature, flags, extension length + extension */
    size_t cap_at = 1024, at = t->header;
    t->at = malloc(cap_at * sizeof *t->at);
    while (t->at) {
        if (at + 2 > t->size)
            goto bad;
        unsigned long fields = be(d + at, 2);
        if (t->n == cap_at - 1) {
            size_t *p = realloc(t->at, (cap_at *= 2) * sizeof *t->at);
            if (!p)
                break;
            t->at = p;
        }
        t->at[t->n] = at;
        if (fields == 0xffff) { /* the trailer, which ends the file */
            if (at + 2 != t->size)
                goto bad;
            return 0;
        }
        at += 2;
        for (unsigned long i = 0; i < fields; i++) {
            if (at + 4 > t->size)
                goto bad;
            unsigned long len = be(d + at, 4);
            at += 4;
            if (len != 0xffffffffUL) { /* -1: NULL, no bytes */
                if (len > t->size - at)
                    goto bad;
                at += len;
            }
        }
        t->n++;
    }
    fprintf(stderr, "pgfloor: %s: out of memory\n", t->path);
    return 1;
bad:
    fprintf(stderr, "pgfloor: %s: not a binary COPY file\n", t->path);
    return 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Runs sql, which returns no rows; 0 on success. */
static int run(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "pgfloor: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return !ok;
}

/* One COPY of tuples [from, to) of t: its header, those tuples, the trailer. */
static int copy(PGconn *c, const struct table *t, size_t from, size_t to)
{
    static const char trailer[2] = {'\377', '\377'};
    PGresult *r = PQexec(c, t->copy_sql);
    int ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    if (ok)
        ok = PQputCopyData(c, (const char *)t->data, (int)t->header) == 1 &&
             PQputCopyData(c, (const char *)t->data + t->at[from],
                           (int)(t->at[to] - t->at[from])) == 1 &&
             PQputCopyData(c, trailer, 2) == 1 && PQputCopyEnd(c, NULL) == 1;
    /* the COPY's result, then the NULL that ends it */
    int stored = 0;
    while ((r = PQgetResult(c))) {
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            stored = atol(PQcmdTuples(r)) == (long)(to - from);
        else
            ok = 0;
        PQclear(r);
    }
    if (!ok || !stored) {
        fprintf(stderr, "pgfloor: %s, rows %zu to %zu: %s", t->copy_sql, from, to,
                PQerrorMessage(c)[0] ? PQerrorMessage(c) : "not every row stored\n");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc % 2 == 0 || (argc - 3) / 2 > MAX_TABLES) {
        fprintf(stderr, "usage: pgfloor CONNINFO BATCH_ROWS COPY_SQL FILE [COPY_SQL FILE ...]\n");
        return 2;
    }
    char *end;
    long batch = strtol(argv[2], &end, 10);
    if (*end || batch < 1) {
        fprintf(stderr, "pgfloor: BATCH_ROWS: \"%s\" is not a count\n", argv[2]);
        return 2;
    }
    struct table t[MAX_TABLES] = {{0}};
    int n_tables = (argc - 3) / 2, status = 1;
    size_t most = 0, copies = 0;
    for (int i = 0; i < n_tables; i++) {
        t[i].copy_sql = argv[3 + 2 * i];
        t[i].path = argv[4 + 2 * i];
        if (load(&t[i]))
            goto out;
        if (t[i].n > most)
            most = t[i].n;
    }
    PGconn *c = PQconnectdb(argv[1]);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "pgfloor: %s: %s", argv[1], PQerrorMessage(c));
        PQfinish(c);
        goto out;
    }
    double t0 = now();
    int failed = run(c, "BEGIN");
    for (size_t from = 0; !failed && from < most; from += (size_t)batch)
        for (int i = 0; !failed && i < n_tables; i++) {
            size_t to = from + (size_t)batch < t[i].n ? from + (size_t)batch : t[i].n;
            if (from < to) {
                failed = copy(c, &t[i], from, to);
                copies++;
            }
        }
    failed = failed || run(c, "COMMIT");
    double dt = now() - t0;
    PQfinish(c);
    if (failed)
        goto out;
    printf("%zu %zu %.6f\n", t[0].n, copies, dt);
    fprintf(stderr, "pgfloor: %zu rows in %.3f s = %.0f rows/s (%zu COPYs of at most %ld rows, "
                    "one transaction)\n",
            t[0].n, dt, dt > 0 ? t[0].n / dt : 0.0, copies, batch);
    status = 0;
out:
    for (int i = 0; i < n_tables; i++) {
        free(t[i].data);
        free(t[i].at);
    }
    return status;
}
