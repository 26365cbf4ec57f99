/* The report's section on star ratings: per task, how many of its models were rated (they
 * have a GPU energy) and how many got each number of stars, with the set the stars are
 * relative to said in the text and the caption: the task's models in this database, by the
 * AI Energy Score's binning rule, not its leaderboard and not an official rating.  The
 * stars come from wp_rating_by_task; this file only counts them for the table. */
#include "report/ratings.h"

#include <stdlib.h>
#include <string.h>

#include "report/page_table.h"
#include "stats/rating.h"

bool wp_report_ratings(struct wp_doc *doc, const struct wp_analysis *models)
{
    size_t n = models->n_groups, rows = 0;
    int *stars = calloc(n ? n : 1, sizeof *stars);
    size_t *rated = calloc(n ? n : 1, sizeof *rated);
    struct wp_star_count *v = calloc(n ? n : 1, sizeof *v);
    struct wp_group_table table = wp_analysis_table(models);
    bool ok = stars && rated && v &&
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
            v[rows] = (struct wp_star_count){.task = task, .rated = rated[i]};
            memcpy(v[rows++].stars, count, sizeof count);
        }
        i = j;
    }
    if (ok && rows) {
        const struct wp_page_col cols[] = {
            {"task", "<b>task</b>", 0.35, WP_LEFT, .format = WP_CELL_VALUE},
            {"models_rated", "<b>models rated</b>", 0.15, WP_RIGHT, .format = WP_CELL_VALUE},
            {"stars_5", "<b>5 stars</b>", 0.1, WP_RIGHT, .format = WP_CELL_VALUE},
            {"stars_4", "<b>4</b>", 0.1, WP_RIGHT, .format = WP_CELL_VALUE},
            {"stars_3", "<b>3</b>", 0.1, WP_RIGHT, .format = WP_CELL_VALUE},
            {"stars_2", "<b>2</b>", 0.1, WP_RIGHT, .format = WP_CELL_VALUE},
            {"stars_1", "<b>1</b>", 0.1, WP_RIGHT, .format = WP_CELL_VALUE},
        };
        struct wp_strpool pool = {0};
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
        ok = wp_page_table(doc, &pool, wp_star_cols, WP_N_STAR_COLS, cols,
                           sizeof cols / sizeof cols[0], v, sizeof v[0], rows,
                           "Table: stars per task by the AI Energy Score's equal-width binning "
                           "rule on mean GPU energy per 1,000 inferences, relative to the "
                           "task's rated models in this database (models without a GPU energy "
                           "are not rated).");
        wp_strpool_free(&pool);
    }
    free(v);
    free(stars);
    free(rated);
    return ok;
}
