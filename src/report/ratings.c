/* The report's section on star ratings: per task, how many of its models were rated (they
 * have a GPU energy) and how many got each number of stars, with the set the stars are
 * relative to said in the text and the caption: the task's models in this database, by the
 * AI Energy Score's binning rule, not its leaderboard and not an official rating.  The
 * stars come from wp_rating_by_task; this file only counts them for the table. */
#include "report/ratings.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "stats/rating.h"

#define COLS 7

bool wp_report_ratings(struct wp_doc *doc, const struct wp_analysis *models)
{
    size_t n = models->n_groups;
    int *stars = calloc(n ? n : 1, sizeof *stars);
    size_t *rated = calloc(n ? n : 1, sizeof *rated);
    const char **cells = calloc((n ? n : 1) * COLS, sizeof *cells);
    char **own = calloc((n ? n : 1) * COLS, sizeof *own);
    size_t n_own = 0, rows = 0;
    struct wp_group_table table = wp_analysis_table(models);
    bool ok = stars && rated && cells && own &&
              wp_rating_by_task(&table, WP_STARS_EQUAL_WIDTH, stars, rated, NULL) == WP_OK;
    for (size_t i = 0; ok && i < n;) {
        const char *task = models->groups[i].task ? models->groups[i].task : "";
        size_t j = i, count[6] = {0};
        for (; j < n && strcmp(models->groups[j].task ? models->groups[j].task : "", task) == 0;
             j++)
            count[stars[j] >= 1 && stars[j] <= 5 ? stars[j] : 0]++;
        if (j == i)
            j = i + 1;
        if (rated[i]) {
            const char **row = cells + rows * COLS;
            row[0] = own[n_own++] = wp_doc_escape(task);
            row[1] = own[n_own++] = g_strdup_printf("%zu", rated[i]);
            for (int s = 5; s >= 1; s--)
                row[7 - s] = own[n_own++] = g_strdup_printf("%zu", count[s]);
            rows++;
        }
        i = j;
    }
    if (ok && rows) {
        static const struct wp_doc_col cols[COLS] = {
            {"<b>task</b>", 0.35, WP_LEFT},     {"<b>models rated</b>", 0.15, WP_RIGHT},
            {"<b>5 stars</b>", 0.1, WP_RIGHT},  {"<b>4</b>", 0.1, WP_RIGHT},
            {"<b>3</b>", 0.1, WP_RIGHT},        {"<b>2</b>", 0.1, WP_RIGHT},
            {"<b>1</b>", 0.1, WP_RIGHT},
        };
        wp_doc_heading(doc, 2, "Star ratings and what they are relative to");
        wp_doc_para(doc, "Model cards and energy labels rate each model with 1 to 5 stars by "
                         "the binning rule of the AI Energy Score: the range of mean GPU "
                         "energy per 1,000 inferences of the models of a task is cut into "
                         "five equal-width bins, the lowest-energy bin five stars. The stars "
                         "here are relative to the task's models in this database and only "
                         "to them (the table counts them): a model's stars change when other "
                         "models join its task, they do not rank it against the AI Energy "
                         "Score leaderboard, and they are not an official rating. <tt>card "
                         "--against FILE</tt> and <tt>chart label --against FILE</tt> rate a "
                         "model against a leaderboard snapshot instead, naming it.");
        wp_doc_table(doc, cols, COLS, cells, rows,
                     "Table: stars per task by the AI Energy Score's equal-width binning rule "
                     "on mean GPU energy per 1,000 inferences, relative to the task's rated "
                     "models in this database (models without a GPU energy are not rated).");
    }
    for (size_t i = 0; i < n_own; i++)
        g_free(own[i]);
    free(own);
    free(cells);
    free(stars);
    free(rated);
    return ok;
}
