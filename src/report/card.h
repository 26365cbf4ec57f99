/* The model card section: the values a card template (templates/card.md) may use, filled
 * from the analysis grouped by model and task, the model's facts and files, and what the
 * user says about training emissions; rendered through src/report/template.c.  The Hub's
 * `co2_eq_emissions` entry is only filled when training emissions are known. */
#ifndef WP_REPORT_CARD_H
#define WP_REPORT_CARD_H

#include <stdio.h>

#include "analysis/provenance.h"
#include "report/template.h"
#include "analysis/analysis.h"
#include "stats/leaderboard.h"

/* What is known about the model's training emissions (for the Hub's co2_eq_emissions). */
struct wp_card_training {
    double emissions_g;            /* stated by the user; NAN: not stated */
    const char *source;            /* where that figure comes from (with emissions_g) */
    const char *type;              /* "pre-training" / "fine-tuning", NULL unknown */
    const char *location;          /* geographical_location, NULL unknown */
    const char *hardware;          /* hardware_used, NULL unknown */
    double intensity_g_per_kwh;    /* grid of the training: emissions from training energy,
                                      NAN: not given */
    const char *intensity_source;  /* citation of that intensity */
};

struct wp_card_input {
    const char *model;
    const struct wp_analysis *models;      /* grouped by model and task: every model, so
                                              that the stars compare within each task */
    const struct wp_model_facts *facts;    /* the model's */
    const struct wp_card_training *training;
    const char *tool;                      /* "wattprint 0.1.0" */
    const struct wp_leaderboard_set *against; /* rate against a leaderboard snapshot's set
                                                 (its class, newest edition); NULL: the
                                                 database's models of each task */
    const char *against_name;              /* the snapshot's file name, with against */
    const struct wp_basis_summary *basis;  /* measured or modelled over the model's own
                                              measurements; NULL: models->basis */
};

/* The names a card template may use (see templates/card.md). */
extern const struct wp_tpl_name wp_card_vocab[];

/* Renders template t for in->model to out.  WP_ERR_EMPTY when the analysis has no group
 * of that model. */
enum wp_err wp_card_write(const struct wp_tpl *t, const struct wp_card_input *in, FILE *out,
                          struct wp_diag *d);

/* The Hugging Face Hub's pipeline_tag for one of our task names ("masked_lm" ->
 * "fill-mask"; '-' and '_', case alike), NULL when there is none; static. */
const char *wp_card_hub_task(const char *task);

/* A file name for a model id: "org/name" becomes "org--name.md"; every byte outside
 * A-Z a-z 0-9 . _ - becomes '_' (one per character), a leading '.' too; at most 200
 * bytes before ".md".  buf needs 210 bytes. */
void wp_card_file_name(const char *model, char *buf, size_t size);

#endif
