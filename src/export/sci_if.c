/* The Green Software Foundation Impact Framework (IF) manifest that reproduces the SCI
 * rows: the builtins Multiply, Sum and Sci over one input per row holding E, I, M, R and
 * the measured duration, in the manifest layout of IF's own examples (initialize.plugins
 * with method, path "builtin" and config; tree.children with pipeline.compute and inputs).
 * `if-run` on it gives each child's sci = (E x I + M) / R, the number the SCI table shows.
 * Formatting only: the numbers are the rows'. */
#include "export/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

/* A number YAML 1.1 (PyYAML) and 1.2 (js-yaml, which IF uses) both read as a float: a
 * point and a signed exponent, 17 significant digits. */
static void num(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.16e", v);
    else
        fputs(".nan", out);
}

/* A child's key, "MODEL / TASK" (or "TASK"), whole, and its ':' and line end.  YAML allows
 * an implicit key of at most 1,024 characters (PyYAML and js-yaml refuse a longer one: a
 * 10,000-character model id made the manifest unreadable), so a longer key is written as
 * an explicit one ("? KEY" then ":"), which has no limit.  Non-zero on out-of-memory. */
static int child_name(FILE *out, const struct wp_sci_row *r)
{
    char *key = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&key, &len);
    if (!m)
        return -1;
    char *name = NULL;
    int ok = asprintf(&name, "%s%s%s", r->model ? r->model : "", r->model ? " / " : "",
                      r->task) >= 0;
    if (!ok)
        name = NULL; /* asprintf leaves it undefined */
    else
        wp_yaml_put_text(m, name);
    free(name);
    if (fclose(m) != 0 || !ok) {
        free(key);
        return -1;
    }
    size_t chars = 0; /* characters, not bytes: what the limit counts */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        chars += (*p & 0xc0) != 0x80;
    if (chars <= 1000)
        fprintf(out, "    %s:\n", key);
    else
        fprintf(out, "    ? %s\n    :\n", key);
    free(key);
    return 0;
}

static const char *plural(enum wp_sci_unit u)
{
    static const char *const names[] = {"inferences", "tokens", "requests", "images"};
    return names[u];
}

enum wp_err wp_export_sci_if(const struct wp_sci *s, const struct wp_sci_opts *o,
                             const char *tool, const char *e_basis, FILE *out,
                             struct wp_diag *d)
{
    const char *fu = plural(o->unit);
    fprintf(out, "# Impact Framework manifest written by %s: if-run computes each child's\n"
                 "# sci = (energy x grid/carbon-intensity + carbon-embodied) / %s,\n"
                 "# the SCI of the wattprint row it is named after (g CO2eq per %s).\n",
            tool, fu, wp_sci_unit_name(o->unit));
    fputs("name: ", out);
    wp_yaml_put_text(out, "wattprint SCI");
    fputs("\ndescription: ", out);
    char desc[1024];
    /* E is what the meters logged: "measured" only for the components they mark so */
    snprintf(desc, sizeof desc,
             "SCI = (E x I + M) / R per %s from measurement logs: E the logged energy (kWh; "
             "%s%s), I the %s (g CO2eq/kWh), M %s (g CO2eq), R the %s",
             o->by_model ? "model and task" : "task",
             e_basis && *e_basis ? e_basis : "components not marked measured or modelled",
             e_basis && strstr(e_basis, "modelled") ? ": a modelled component is an estimate"
                                                    : "",
             isnan(o->intensity_g_per_kwh) ? "runs' location-based grid intensity, "
                                             "energy-weighted"
                                           : "what-if grid intensity given",
             isnan(o->embodied_g) ? "the hardware's embodied emissions from a cited table "
                                    "amortised over the measured duration"
                                  : "the embodied emissions given, shared by measured duration",
             fu);
    wp_yaml_put_text(out, desc);
    fprintf(out, "\ntags:\ninitialize:\n  plugins:\n"
                 "    operational-carbon:\n      method: Multiply\n      path: \"builtin\"\n"
                 "      config:\n        input-parameters: [\"energy\", \"grid/carbon-intensity\"]\n"
                 "        output-parameter: \"carbon-operational\"\n"
                 "    sum-carbon:\n      method: Sum\n      path: \"builtin\"\n"
                 "      config:\n        input-parameters: [\"carbon-operational\", \"carbon-embodied\"]\n"
                 "        output-parameter: \"carbon\"\n"
                 "    sci:\n      method: Sci\n      path: \"builtin\"\n"
                 "      config:\n        functional-unit: \"%s\"\n"
                 "tree:\n  children:\n", fu);
    for (size_t i = 0; i < s->n; i++) {
        const struct wp_sci_row *r = &s->rows[i];
        if (!r->n_runs)
            continue; /* no run counted: nothing to reproduce */
        if (child_name(out, r))
            return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        fputs("      pipeline:\n        compute:\n          - operational-carbon\n"
              "          - sum-carbon\n          - sci\n      inputs:\n        - timestamp: ",
              out);
        wp_yaml_put_text(out, r->started_at && *r->started_at ? r->started_at
                                                               : "1970-01-01T00:00:00Z");
        /* IF's Sci asks for a duration of at least 1 s: the measured one, summed */
        fputs("\n          duration: ", out);
        num(out, r->duration_s >= 1 ? r->duration_s : 1.0);
        fputs("\n          energy: ", out);
        num(out, r->e_kwh);
        fputs("\n          grid/carbon-intensity: ", out);
        num(out, r->i_g_per_kwh);
        fputs("\n          carbon-embodied: ", out);
        num(out, r->m_g);
        fprintf(out, "\n          %s: ", fu);
        num(out, r->r);
        fputc('\n', out);
    }
    return ferror(out) ? wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write the IF manifest")
                       : WP_OK;
}
