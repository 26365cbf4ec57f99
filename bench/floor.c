/* bench/floor: the least work that loads a CodeCarbon 2.3 file into wattprint's schema, as
 * the yardstick for `wattprint ingest` in `make bench`.  Splits lines on commas (no
 * quoting), strtod's the numbers, one run row and one measurement row per line, prepared
 * statements, one transaction, no checks, one core.  Not a parser: bench input only.
 *
 * usage: floor DB FILE.csv   (DB already migrated by `wattprint --db DB sources`)
 * Prints "ROWS SECONDS" on stdout and a line for people on stderr. */
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
    " carbon_intensity_g_per_kwh, pue, tracking_mode, longitude, latitude)"
    " VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
    " ?17, ?18, ?19, ?20, ?21)";

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

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor DB FILE.csv\n");
        return 2;
    }
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
                     " PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;"
                     " BEGIN IMMEDIATE;"
                     " INSERT INTO source_file (path, name, format, sha256, size_bytes,"
                     "  consumed_bytes, prefix_sha256, ingested_at)"
                     " VALUES ('bench.csv', 'bench.csv', 'codecarbon', '', 0, 0, '',"
                     "  '2023-09-08T00:00:00Z');",
                     NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "setup");
    sqlite3_int64 source = sqlite3_last_insert_rowid(db);
    /* measurement.run_id is NOT NULL REFERENCES run (id): a run row per measurement */
    sqlite3_stmt *run, *meas;
    if (sqlite3_prepare_v2(db, "INSERT INTO run (uid) VALUES (?1)", -1, &run, NULL) ||
        sqlite3_prepare_v2(db, meas_sql, -1, &meas, NULL))
        return fail(db, "prepare");

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

        sqlite3_bind_text(run, 1, f[F_RUN_ID], -1, SQLITE_STATIC);
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
    fprintf(stderr, "floor: %ld rows in %.3f s = %.0f rows/s (2 prepared statements: "
                    "measurement, and run because measurement.run_id is NOT NULL REFERENCES "
                    "run)\n",
            rows, dt, dt > 0 ? rows / dt : 0.0);
    return 0;
}
