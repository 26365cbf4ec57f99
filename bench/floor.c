/* bench/floor: the least work that loads a CodeCarbon 2.3 file into wattprint's schema, as
 * the yardstick for `wattprint ingest` in `make bench`.  Splits lines on commas (no
 * quoting), strtod's the numbers, and writes the rows wattprint writes: one run row (with
 * its experiment: the manifest's model, task and dataset for the row's project_name, or the
 * command line's m/t/d without a manifest) and one measurement row per line, with the ids
 * of its tool, hardware and location rows (created once per distinct text, ids cached) and
 * the basis marks; prepared statements, one transaction, no checks, one core.  Not a
 * parser: bench input only.
 *
 * usage: floor DB FILE.csv [MANIFEST.csv]   (DB already migrated by `wattprint migrate`)
 * Prints "ROWS SECONDS" on stdout and a line for people on stderr (with the connection
 * settings read back from SQLite and the indexes dropped).
 *
 * For bench/run's lower bound, two environment variables take the store's settings away
 * (unset, the floor is the store's yardstick, as above):
 *   FLOOR_PRAGMAS="foreign_keys=OFF,synchronous=OFF"   pragmas set after the store's own
 *                                                      (name=value, comma-separated)
 *   FLOOR_DROP_INDEXES="run_uid,run_experiment"        indexes dropped before the load */
#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_FIELDS 31
#define KWH_J 3.6e6

/* Field positions in the 2.3 layout (see gen.c's header). */
enum {
    F_TIMESTAMP, F_PROJECT, F_RUN_ID, F_DURATION, F_EMISSIONS, F_EMISSIONS_RATE,
    F_CPU_POWER, F_GPU_POWER, F_RAM_POWER, F_CPU_ENERGY, F_GPU_ENERGY, F_RAM_ENERGY,
    F_ENERGY, F_COUNTRY, F_ISO, F_REGION, F_CLOUD, F_CLOUD_REGION, F_OS, F_PYTHON,
    F_CC_VERSION, F_CPU_COUNT, F_CPU_MODEL, F_GPU_COUNT, F_GPU_MODEL, F_LONGITUDE,
    F_LATITUDE, F_RAM_TOTAL, F_TRACKING, F_ON_CLOUD, F_PUE
};

/* Every numeric field is converted, as a parser must; these are the ones with a column. */
static const int numeric[] = {
    F_DURATION, F_EMISSIONS, F_EMISSIONS_RATE, F_CPU_POWER, F_GPU_POWER, F_RAM_POWER,
    F_CPU_ENERGY, F_GPU_ENERGY, F_RAM_ENERGY, F_ENERGY, F_CPU_COUNT, F_GPU_COUNT,
    F_LONGITUDE, F_LATITUDE, F_RAM_TOTAL, F_PUE,
};

static const char meas_sql[] =
    "INSERT INTO measurement (run_id, phase, source_file_id, line, run_label, project_name,"
    " started_at, duration_s, energy_j, cpu_energy_j, gpu_energy_j, ram_energy_j,"
    " emissions_g, emissions_rate_g_per_s, cpu_power_w, gpu_power_w, ram_power_w,"
    " carbon_intensity_g_per_kwh, pue, tracking_mode, longitude, latitude, tool_id,"
    " hardware_id, location_id, cpu_basis, gpu_basis, ram_basis)"
    " VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
    " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, 'modelled:tdp', 'measured:all-gpus',"
    " 'modelled:ram')";

/* A text key and the id of its row: the few distinct values of a dimension column. */
#define MAX_KEYS 64
struct ids {
    char *key[MAX_KEYS];
    sqlite3_int64 id[MAX_KEYS];
    int n;
};

/* The id cached for key, or 0. */
static sqlite3_int64 cached(const struct ids *c, const char *key)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->key[i], key) == 0)
            return c->id[i];
    return 0;
}

static void cache(struct ids *c, const char *key, sqlite3_int64 id)
{
    if (c->n < MAX_KEYS && (c->key[c->n] = strdup(key)))
        c->id[c->n++] = id;
}

/* Runs sql with its text parameters and returns the last row id (0 on failure). */
static sqlite3_int64 insert(sqlite3 *db, const char *sql, int n, const char *const *text)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? sqlite3_last_insert_rowid(db) : 0;
}

/* The id of the name in table (model, task or dataset), inserted once. */
static sqlite3_int64 name_id(sqlite3 *db, struct ids *c, const char *table, const char *name)
{
    char key[512], sql[128];
    snprintf(key, sizeof key, "%s\x1f%s", table, name);
    sqlite3_int64 id = cached(c, key);
    if (!id) {
        snprintf(sql, sizeof sql, "INSERT INTO %s (name) VALUES (?1)", table);
        if ((id = insert(db, sql, 1, &name)))
            cache(c, key, id);
    }
    return id;
}

/* The experiment of a project: the manifest's labels, or m/t/d/1000 without a manifest. */
struct label {
    char *project, *model, *task, *dataset;
    long inferences;
};

static sqlite3_int64 experiment_id(sqlite3 *db, struct ids *c, const struct label *l)
{
    char key[1024];
    snprintf(key, sizeof key, "x\x1f%s\x1f%s\x1f%s", l->model, l->task, l->dataset);
    sqlite3_int64 id = cached(c, key);
    if (id)
        return id;
    sqlite3_int64 m = name_id(db, c, "model", l->model), t = name_id(db, c, "task", l->task),
                  d = name_id(db, c, "dataset", l->dataset);
    sqlite3_stmt *st;
    if (!m || !t || !d ||
        sqlite3_prepare_v2(db, "INSERT INTO experiment (model_id, task_id, dataset_id, "
                               "inferences) VALUES (?1, ?2, ?3, ?4)", -1, &st, NULL))
        return 0;
    sqlite3_bind_int64(st, 1, m);
    sqlite3_bind_int64(st, 2, t);
    sqlite3_bind_int64(st, 3, d);
    sqlite3_bind_int64(st, 4, l->inferences);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return 0;
    cache(c, key, id = sqlite3_last_insert_rowid(db));
    return id;
}

/* Reads project_name,model,task,dataset,inferences lines (as bench/gen writes them). */
static int read_manifest(const char *path, struct label *out, int max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[2048];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        char *save, *p = strtok_r(line, ",\n", &save), *m = strtok_r(NULL, ",\n", &save),
                    *t = strtok_r(NULL, ",\n", &save), *d = strtok_r(NULL, ",\n", &save),
                    *i = strtok_r(NULL, ",\n", &save);
        if (!p || !m || !t || !d || !i || strcmp(p, "project_name") == 0)
            continue;
        out[n++] = (struct label){strdup(p), strdup(m), strdup(t), strdup(d), atol(i)};
    }
    fclose(f);
    return n;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "floor: %s: %s\n", what, sqlite3_errmsg(db));
    return 1;
}

/* Whether s is a non-empty word of letters, digits, '_' and '-' (a pragma's name or value,
 * an index's name): the lists below are pasted into SQL. */
static int is_word(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
            return 0;
    return 1;
}

/* Runs "PRAGMA name = value" for each item of FLOOR_PRAGMAS, or "DROP INDEX name" for each
 * of FLOOR_DROP_INDEXES (is_pragma 0); 0 when the list is unset or all went well. */
static int apply_list(sqlite3 *db, const char *var, int is_pragma)
{
    const char *list = getenv(var);
    if (!list || !*list)
        return 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        const char *eq = memchr(p, '=', n);
        char sql[256];
        if (n >= 200 || (is_pragma && (!eq || !is_word(p, (size_t)(eq - p)) ||
                                       !is_word(eq + 1, n - (size_t)(eq - p) - 1))) ||
            (!is_pragma && !is_word(p, n))) {
            fprintf(stderr, "floor: %s: \"%.*s\" is not %s\n", var, (int)n, p,
                    is_pragma ? "name=value" : "an index name");
            return 1;
        }
        if (is_pragma)
            snprintf(sql, sizeof sql, "PRAGMA %.*s = %.*s", (int)(eq - p), p,
                     (int)(n - (size_t)(eq - p) - 1), eq + 1);
        else
            snprintf(sql, sizeof sql, "DROP INDEX %.*s", (int)n, p);
        if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
            return fail(db, sql);
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* The settings in force, read back from SQLite, into out ("journal_mode=wal ..."). */
static int settings(sqlite3 *db, char *out, size_t size)
{
    static const char *const names[] = {"journal_mode", "synchronous", "foreign_keys",
                                        "cache_size"};
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char sql[64];
        sqlite3_stmt *st;
        snprintf(sql, sizeof sql, "PRAGMA %s", names[i]);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            return fail(db, sql);
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_finalize(st);
            return fail(db, sql);
        }
        const unsigned char *v = sqlite3_column_text(st, 0);
        int w = snprintf(out + at, size - at, "%s%s=%s", i ? " " : "", names[i],
                         v ? (const char *)v : "?");
        sqlite3_finalize(st);
        if (w < 0 || (size_t)w >= size - at)
            break;
        at += (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: floor DB FILE.csv [MANIFEST.csv]\n");
        return 2;
    }
    struct label labels[64];
    int n_labels = 0;
    if (argc == 4 && (n_labels = read_manifest(argv[3], labels, 64)) <= 0) {
        fprintf(stderr, "floor: %s: no manifest rows\n", argv[3]);
        return 1;
    }
    struct label cli = {"", "m", "t", "d", 1000};
    double t0 = now();
    FILE *in = fopen(argv[2], "r");
    if (!in) {
        perror(argv[2]);
        return 1;
    }
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        return fail(db, "open");
    /* the connection settings wattprint's store uses, so that only the work differs */
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                     " PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "settings");
    /* the lower bound's variants: settings taken away, indexes dropped (unset: none) */
    char in_force[256];
    if (apply_list(db, "FLOOR_PRAGMAS", 1) || apply_list(db, "FLOOR_DROP_INDEXES", 0) ||
        settings(db, in_force, sizeof in_force))
        return 1;
    if (sqlite3_exec(db,
                     "BEGIN IMMEDIATE;"
                     " INSERT INTO source_file (path, name, format, sha256, size_bytes,"
                     "  consumed_bytes, prefix_sha256, ingested_at)"
                     " VALUES ('bench.csv', 'bench.csv', 'codecarbon', '', 0, 0, '',"
                     "  '2023-09-08T00:00:00Z');",
                     NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "setup");
    sqlite3_int64 source = sqlite3_last_insert_rowid(db);
    /* measurement.run_id is NOT NULL REFERENCES run (id): a run row per measurement */
    sqlite3_stmt *run, *meas;
    if (sqlite3_prepare_v2(db, "INSERT INTO run (uid, experiment_id) VALUES (?1, ?2)", -1, &run,
                           NULL) ||
        sqlite3_prepare_v2(db, meas_sql, -1, &meas, NULL))
        return fail(db, "prepare");

    struct ids ids = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0, rows = 0;
    while ((len = getline(&line, &cap, in)) > 0) {
        if (++lineno == 1)
            continue; /* header */
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        char *f[N_FIELDS];
        int n = 0;
        for (char *p = line; n < N_FIELDS; p++) {
            f[n++] = p;
            if (!(p = strchr(p, ',')))
                break;
            *p = '\0';
        }
        if (n < N_FIELDS)
            continue; /* a blank or short line: not bench data */
        double x[N_FIELDS];
        for (size_t i = 0; i < sizeof numeric / sizeof numeric[0]; i++)
            x[numeric[i]] = strtod(f[numeric[i]], NULL);

        const struct label *l = &cli;
        for (int i = 0; i < n_labels; i++)
            if (strcmp(labels[i].project, f[F_PROJECT]) == 0)
                l = &labels[i];
        sqlite3_int64 experiment = experiment_id(db, &ids, l);
        /* the dimension rows: created once per distinct text, then ids from the cache */
        char key[2048];
        snprintf(key, sizeof key, "tool\x1f%s", f[F_CC_VERSION]);
        sqlite3_int64 tool = cached(&ids, key);
        if (!tool) {
            const char *v[] = {"codecarbon", f[F_CC_VERSION]};
            cache(&ids, key, tool = insert(db, "INSERT INTO tool (name, version) VALUES (?1, ?2)",
                                           2, v));
        }
        snprintf(key, sizeof key, "hw\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", f[F_CPU_MODEL],
                 f[F_CPU_COUNT], f[F_GPU_MODEL], f[F_GPU_COUNT], f[F_RAM_TOTAL], f[F_OS],
                 f[F_PYTHON]);
        sqlite3_int64 hardware = cached(&ids, key);
        if (!hardware) {
            sqlite3_stmt *st;
            if (sqlite3_prepare_v2(db, "INSERT INTO hardware (cpu_model, cpu_count, gpu_model,"
                                       " gpu_count, ram_total_bytes, os, python_version)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &st, NULL))
                return fail(db, "prepare hardware");
            sqlite3_bind_text(st, 1, f[F_CPU_MODEL], -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)x[F_CPU_COUNT]);
            sqlite3_bind_text(st, 3, f[F_GPU_MODEL], -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)x[F_GPU_COUNT]);
            sqlite3_bind_double(st, 5, x[F_RAM_TOTAL] * 1073741824.0); /* GiB, as CodeCarbon */
            sqlite3_bind_text(st, 6, f[F_OS], -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, f[F_PYTHON], -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                return fail(db, "insert hardware");
            sqlite3_finalize(st);
            cache(&ids, key, hardware = sqlite3_last_insert_rowid(db));
        }
        snprintf(key, sizeof key, "loc\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", f[F_COUNTRY],
                 f[F_ISO], f[F_REGION], f[F_CLOUD], f[F_CLOUD_REGION], f[F_ON_CLOUD]);
        sqlite3_int64 location = cached(&ids, key);
        if (!location) {
            const char *v[] = {f[F_COUNTRY], f[F_ISO], f[F_REGION], f[F_CLOUD],
                               f[F_CLOUD_REGION], f[F_ON_CLOUD]};
            cache(&ids, key,
                  location = insert(db, "INSERT INTO location (country_name, country_iso_code,"
                                        " region, cloud_provider, cloud_region, on_cloud)"
                                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", 6, v));
        }
        if (!experiment || !tool || !hardware || !location)
            return fail(db, "dimension rows");
        sqlite3_bind_text(run, 1, f[F_RUN_ID], -1, SQLITE_STATIC);
        sqlite3_bind_int64(run, 2, experiment);
        if (sqlite3_step(run) != SQLITE_DONE)
            return fail(db, "insert run");
        sqlite3_reset(run);
        double energy_j = x[F_ENERGY] * KWH_J, emissions_g = x[F_EMISSIONS] * 1000.0;
        sqlite3_bind_int64(meas, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_int64(meas, 2, source);
        sqlite3_bind_int64(meas, 3, lineno);
        sqlite3_bind_text(meas, 4, f[F_RUN_ID], -1, SQLITE_STATIC);
        sqlite3_bind_text(meas, 5, f[F_PROJECT], -1, SQLITE_STATIC);
        sqlite3_bind_text(meas, 6, f[F_TIMESTAMP], -1, SQLITE_STATIC);
        sqlite3_bind_double(meas, 7, x[F_DURATION]);
        sqlite3_bind_double(meas, 8, energy_j);
        sqlite3_bind_double(meas, 9, x[F_CPU_ENERGY] * KWH_J);
        sqlite3_bind_double(meas, 10, x[F_GPU_ENERGY] * KWH_J);
        sqlite3_bind_double(meas, 11, x[F_RAM_ENERGY] * KWH_J);
        sqlite3_bind_double(meas, 12, emissions_g);
        sqlite3_bind_double(meas, 13, x[F_EMISSIONS_RATE] * 1000.0);
        sqlite3_bind_double(meas, 14, x[F_CPU_POWER]);
        sqlite3_bind_double(meas, 15, x[F_GPU_POWER]);
        sqlite3_bind_double(meas, 16, x[F_RAM_POWER]);
        sqlite3_bind_double(meas, 17, emissions_g / (energy_j / KWH_J));
        sqlite3_bind_double(meas, 18, x[F_PUE]);
        sqlite3_bind_text(meas, 19, f[F_TRACKING], -1, SQLITE_STATIC);
        sqlite3_bind_double(meas, 20, x[F_LONGITUDE]);
        sqlite3_bind_double(meas, 21, x[F_LATITUDE]);
        sqlite3_bind_int64(meas, 22, tool);
        sqlite3_bind_int64(meas, 23, hardware);
        sqlite3_bind_int64(meas, 24, location);
        if (sqlite3_step(meas) != SQLITE_DONE)
            return fail(db, "insert measurement");
        sqlite3_reset(meas);
        rows++;
    }
    free(line);
    fclose(in);
    sqlite3_finalize(run);
    sqlite3_finalize(meas);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "commit");
    if (sqlite3_close(db) != SQLITE_OK)
        return fail(db, "close");
    double dt = now() - t0;
    printf("%ld %.6f\n", rows, dt);
    fprintf(stderr, "floor: %ld rows in %.3f s = %.0f rows/s (2 prepared statements: run with "
                    "its experiment, measurement with its tool, hardware and location ids)\n",
            rows, dt, dt > 0 ? rows / dt : 0.0);
    const char *dropped = getenv("FLOOR_DROP_INDEXES");
    fprintf(stderr, "floor: settings: %s; indexes dropped: %s\n", in_force,
            dropped && *dropped ? dropped : "none");
    return 0;
}
