/* bench/gen: writes a large CodeCarbon emissions.csv in the study's 31-column 2.3 layout,
 * deterministic for a seed, for `make bench`.  Values are consistent (energy_consumed is
 * the sum of its parts, emissions follow energy, timestamps increase); not a test fixture.
 *
 * usage: gen ROWS SEED OUT.csv [MANIFEST.csv]
 * The optional manifest maps each project_name to a model, task and dataset (for the
 * pandas comparison's merge).  A file of N rows is the prefix of any longer file made
 * with the same seed. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KWH_J 3.6e6

/* The study's models on SQuAD-style QA: name, mean duration (s), mean GPU power (W). */
static const struct project {
    const char *name;
    double duration_s, gpu_power_w;
} projects[] = {
    {"bert-large-uncased-whole-word-masking-finetuned-squad", 18.8, 505.0},
    {"distilbert-base-uncased-distilled-squad", 6.1, 298.0},
    {"deepset/roberta-base-squad2", 9.4, 402.0},
    {"deepset/tinyroberta-squad2", 5.2, 251.0},
    {"google/flan-t5-base", 22.7, 377.0},
    {"google/flan-t5-large", 41.3, 468.0},
    {"google/flan-t5-xl", 97.9, 521.0},
    {"bigscience/bloomz-560m", 35.6, 433.0},
};
#define N_PROJECTS (sizeof projects / sizeof projects[0])

static const char header[] =
    "timestamp,project_name,run_id,duration,emissions,emissions_rate,cpu_power,gpu_power,"
    "ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,country_name,"
    "country_iso_code,region,cloud_provider,cloud_region,os,python_version,"
    "codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,latitude,"
    "ram_total_size,tracking_mode,on_cloud,pue\n";

/* The machine the study ran on: one hardware and location for the whole file. */
static const char machine[] =
    "United States,USA,oregon,,,Linux-5.15.0-1023-aws-x86_64-with-glibc2.17,3.8.16,2.3.1,1,"
    "Intel(R) Xeon(R) Platinum 8275CL CPU @ 3.00GHz,8,8 x NVIDIA A100-SXM4-80GB,-119.7257,"
    "45.8234,1148.738,machine,N,1\n";

#define CPU_POWER_W 42.5
#define RAM_POWER_W 430.77675
#define KG_PER_KWH 0.13875 /* Oregon grid as CodeCarbon 2.3 reports it */

/* splitmix64: small, seedable, good enough for benchmark data. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double unif(uint64_t *s)
{
    return (double)(next(s) >> 11) * 0x1.0p-53;
}

/* A version 4 UUID, lower case, as CodeCarbon writes run ids. */
static void uuid4(uint64_t *s, char out[37])
{
    uint64_t hi = next(s), lo = next(s);
    hi = (hi & ~0xf000ull) | 0x4000ull;                         /* version 4 */
    lo = (lo & 0x3fffffffffffffffull) | 0x8000000000000000ull; /* variant 10 */
    snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
             hi >> 32, (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48, (uint64_t)(lo & 0xffffffffffffull));
}

static int write_manifest(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    fputs("project_name,model,task,dataset,inferences\n", f);
    for (size_t i = 0; i < N_PROJECTS; i++)
        fprintf(f, "%s,%s,question_answering,squad,1000\n", projects[i].name,
                projects[i].name);
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: gen ROWS SEED OUT.csv [MANIFEST.csv]\n");
        return 2;
    }
    char *end;
    long long rows = strtoll(argv[1], &end, 10);
    if (*end || rows < 0) {
        fprintf(stderr, "gen: ROWS: \"%s\" is not a count\n", argv[1]);
        return 2;
    }
    uint64_t seed = strtoull(argv[2], &end, 10);
    if (*end) {
        fprintf(stderr, "gen: SEED: \"%s\" is not a number\n", argv[2]);
        return 2;
    }
    if (argc == 5 && write_manifest(argv[4]) != 0)
        return 1;
    FILE *f = fopen(argv[3], "w");
    if (!f) {
        perror(argv[3]);
        return 1;
    }
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs(header, f);

    uint64_t s = seed;
    time_t t = 1694186349; /* 2023-09-08T15:19:09Z, the study's first row */
    for (long long i = 0; i < rows; i++) {
        const struct project *p = &projects[next(&s) % N_PROJECTS];
        char run[37], ts[32];
        uuid4(&s, run);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);

        double dur = p->duration_s * (0.97 + 0.06 * unif(&s));
        double gpu_w = p->gpu_power_w * (0.95 + 0.10 * unif(&s));
        /* constant powers print as CodeCarbon logs them (%.15g); measured values round-trip
         * (%.17g), so energy_consumed read back is exactly the sum of the parts read back */
        /* CodeCarbon integrates power over its samples: energies are near power x time */
        double cpu_kwh = CPU_POWER_W * dur / KWH_J * (0.98 + 0.04 * unif(&s));
        double gpu_kwh = gpu_w * dur / KWH_J * (0.98 + 0.04 * unif(&s));
        double ram_kwh = RAM_POWER_W * dur / KWH_J * (0.98 + 0.04 * unif(&s));
        double total_kwh = cpu_kwh + gpu_kwh + ram_kwh;
        double emissions_kg = total_kwh * KG_PER_KWH;

        fprintf(f,
                "%s,%s,%s,%.17g,%.17g,%.17g,%.15g,%.17g,%.15g,%.17g,%.17g,%.17g,%.17g,%s", ts,
                p->name, run, dur, emissions_kg, emissions_kg / dur, CPU_POWER_W, gpu_w,
                RAM_POWER_W, cpu_kwh, gpu_kwh, ram_kwh, total_kwh, machine);
        t += (time_t)dur + 1 + (time_t)(next(&s) % 4); /* next run starts after this one */
    }
    if (ferror(f) || fclose(f) != 0) {
        perror(argv[3]);
        return 1;
    }
    return 0;
}
