/* The manifest skeleton (see skeleton.h): one CSV row per group of unlabelled runs that
 * analysis/unlabelled.c gathered from the store. */
#include "report/skeleton.h"

#include <stdbool.h>
#include <string.h>

/* A CSV field, quoted only when it must be (RFC 4180), and never read as a comment. */
static void field(FILE *out, const char *s, bool last)
{
    bool quote = strpbrk(s, ",\"\r\n") || *s == '#' || *s == ' ' ||
                 (*s && s[strlen(s) - 1] == ' ');
    if (!quote) {
        fputs(s, out);
    } else {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    }
    fputc(last ? '\n' : ',', out);
}

static const char *const help[] = {
    "file: the log's file name (a shell glob such as qa_*.csv may cover many files)",
    "project_name, experiment_id: as the log writes them (CodeCarbon's columns)",
    "model: the model measured, e.g. its Hugging Face id (bert-base-uncased)",
    /* parenthesised: one string on two lines, not a missing comma (clang) */
    ("task: what it did, in wattprint's words: text_classification, extractive_qa, "
     "summarization, image_generation, ... (wattprint summary lists the tasks it knows)"),
    "dataset: the data it ran on (imdb, squad, ...)",
    "inferences: inferences per run (queries, images, samples): energy per 1,000 needs it",
    "parameters: the model's parameter count (110000000), for the scaling fit",
    "purpose: task-specific or multi-purpose, for that comparison",
    "empty cells give no label; more columns become attributes (--where KEY=VALUE)",
};

enum wp_err wp_manifest_skeleton(const struct wp_unlabelled *u, FILE *out,
                                 struct wp_skeleton_counts *n, struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    fprintf(out, "# wattprint manifest skeleton: %zu rows for %zu unlabelled runs. Fill in "
                 "the empty cells, then: wattprint manifest FILE\n", u->n, u->n_runs);
    for (size_t i = 0; i < sizeof help / sizeof help[0]; i++)
        fprintf(out, "# %s\n", help[i]);
    fputs("file,project_name,experiment_id,model,task,dataset,inferences,parameters,"
          "purpose\n", out);
    for (size_t i = 0; i < u->n; i++) {
        field(out, u->v[i].file, false);
        field(out, u->v[i].project, false);
        field(out, u->v[i].experiment, false);
        fputs(",,,,,\n", out);
    }
    if (ferror(out))
        e = wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write the skeleton");
    if (n)
        *n = (struct wp_skeleton_counts){(long long)u->n_runs, (long long)u->n};
    return e;
}
