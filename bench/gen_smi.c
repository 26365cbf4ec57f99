/* bench/gen_smi: writes an nvidia-smi power log for `make bench`: N samples of G GPUs
 * interleaved (one line per GPU per tick), as `nvidia-smi --query-gpu=timestamp,index,name,
 * power.draw --format=csv -lms 100` writes it (units in the values), deterministic for a
 * seed.  Also prints the exact trapezoid energy of what it wrote, in J, so the benchmark
 * can check what was ingested.  Not a test fixture.
 *
 * usage: gen_smi SAMPLES GPUS PERIOD_MS SEED OUT.csv */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* splitmix64, as in gen.c */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : days[m - 1];
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: gen_smi SAMPLES GPUS PERIOD_MS SEED OUT.csv\n");
        return 2;
    }
    long long samples = atoll(argv[1]);
    int gpus = atoi(argv[2]), period_ms = atoi(argv[3]);
    uint64_t seed = strtoull(argv[4], NULL, 10);
    if (samples < 1 || gpus < 1 || gpus > 64 || period_ms < 1) {
        fprintf(stderr, "gen_smi: bad arguments\n");
        return 2;
    }
    FILE *f = fopen(argv[5], "w");
    if (!f) {
        perror(argv[5]);
        return 1;
    }
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs("timestamp, index, name, power.draw [W]\n", f);
    /* 2024-01-15 10:23:45.000, counted up by hand so no libc time call sits in the loop */
    int y = 2024, mo = 1, d = 15, h = 10, mi = 23, s = 45, ms = 0;
    int last_cw[64]; /* centiwatts of each GPU's previous sample */
    double energy_cwms = 0; /* sum of trapezoids in centiwatt-milliseconds (exact integers) */
    long long written = 0;
    for (long long tick = 0; written < samples; tick++) {
        for (int g = 0; g < gpus && written < samples; g++, written++) {
            /* 60.00 to 400.00 W in centiwatts */
            int cw = 6000 + (int)(next(&seed) % 34001);
            if (tick > 0)
                energy_cwms += 0.5 * (double)(last_cw[g] + cw) * period_ms;
            last_cw[g] = cw;
            fprintf(f, "%04d/%02d/%02d %02d:%02d:%02d.%03d, %d, NVIDIA A100-SXM4-80GB, %d.%02d W\n",
                    y, mo, d, h, mi, s, ms, g, cw / 100, cw % 100);
        }
        ms += period_ms;
        while (ms >= 1000) { /* carry into seconds, minutes, ... one unit at a time */
            ms -= 1000;
            if (++s < 60)
                continue;
            s = 0;
            if (++mi < 60)
                continue;
            mi = 0;
            if (++h < 24)
                continue;
            h = 0;
            if (++d <= days_in_month(y, mo))
                continue;
            d = 1;
            if (++mo > 12) {
                mo = 1;
                y++;
            }
        }
    }
    if (fclose(f) != 0) {
        perror(argv[5]);
        return 1;
    }
    /* centiwatt-ms -> J: 1e-2 W x 1e-3 s */
    printf("%.6f\n", energy_cwms * 1e-5);
    return 0;
}
