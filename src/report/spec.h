/* The batch spec: one YAML file (libyaml) listing reports to produce, each with a filter,
 * the outputs it wants and a folder inside the spec's output root.  Unknown keys, wrong
 * types and paths that would leave the output root are errors with FILE:LINE:COL. */
#ifndef WP_REPORT_SPEC_H
#define WP_REPORT_SPEC_H

#include <stddef.h>

#include "util/err.h"

enum wp_produce {
    WP_PRODUCE_REPORT = 1,  /* report.pdf */
    WP_PRODUCE_XLSX = 2,    /* summary.xlsx */
    WP_PRODUCE_CARDS = 4,   /* cards/MODEL.md */
    WP_PRODUCE_FIGURES = 8, /* figures/KIND.{png,svg,pdf} */
    WP_PRODUCE_LATEX = 16,  /* tables/tasks.tex, tables/models.tex */
    WP_PRODUCE_STATS = 32,  /* stats.json */
    /* the disclosures (wattprint export), only when named ("exports": all four) */
    WP_PRODUCE_BOAMPS = 64,     /* exports/boamps/MODEL__TASK.boamps.json */
    WP_PRODUCE_SCI = 128,       /* exports/sci.json and its IF manifest exports/sci.if.yml */
    WP_PRODUCE_SPDX = 256,      /* exports/spdx/MODEL.spdx.json */
    WP_PRODUCE_EUAIACT = 512,   /* exports/eu-ai-act/MODEL.eu-ai-act.md */
};
#define WP_PRODUCE_DEFAULT 0x3fu /* report, xlsx, cards, figures, latex, stats */
#define WP_PRODUCE_EXPORTS (WP_PRODUCE_BOAMPS | WP_PRODUCE_SCI | WP_PRODUCE_SPDX | WP_PRODUCE_EUAIACT)

struct wp_batch_entry {
    char *name;                       /* required, unique */
    char *dir;                        /* inside the output root; default: name */
    char *title, *subtitle, *organisation;
    char *task, *model, *dataset, *phase; /* filter; NULL = any */
    char *where_key, *where_value;    /* filter on a manifest column (where: KEY=VALUE) */
    unsigned produce;                 /* enum wp_produce bits; default WP_PRODUCE_DEFAULT */
    long line;                        /* where the entry starts in the spec */
};

struct wp_batch_spec {
    char *path;                       /* the spec file */
    char *output;                     /* the output root (default "out/batch") */
    char *paper;                      /* "a4" or "letter" */
    struct wp_batch_entry *entries;
    size_t n;
};

/* Reads and checks the spec at path.  Free with wp_batch_spec_free (also on error). */
enum wp_err wp_batch_spec_load(const char *path, struct wp_batch_spec *out, struct wp_diag *d);
void wp_batch_spec_free(struct wp_batch_spec *s);

/* Joins the output root, the entry's folder and a file name into buf; refuses (WP_ERR_USAGE)
 * a result that is absolute or climbs out with "..". */
enum wp_err wp_batch_path(const struct wp_batch_spec *s, const struct wp_batch_entry *e,
                          const char *file, char *buf, size_t size, struct wp_diag *d);

#endif
