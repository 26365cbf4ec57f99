/* wattprint leaderboard: the configurations of generative models as a static web page and
 * a versioned JSON file.  One column table drives both writers (name, unit, accessor);
 * numbers are formatted here, never computed. */
#include "report/leaderboard.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "report/html.h"
#include "util/atomic.h"

/* the columns the page's table shows (all are in the JSON) */
static const char *const page_cols[] = {"j_per_request", "wh_per_1k_queries",
                                        "j_per_output_token", "j_per_input_token",
                                        "avg_power_w", "itl_p50_s", "throughput_tokens_per_s"};

/* The label page of a model on a task, relative to DIR: "labels/NAME-HASH.html", NAME the
 * model and task with every byte but [A-Za-z0-9._-] as '_', HASH the first 8 hex digits
 * of the SHA-256 of model, a unit separator and task (distinct pairs, distinct files).
 * Free with g_free. */
static char *label_path(const char *model, const char *task)
{
    char *key = g_strdup_printf("%s\x1f%s", model, task);
    char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
    GString *p = g_string_new("labels/");
    for (const char *s = model; *s && p->len < 7 + 80; s++)
        g_string_append_c(p, g_ascii_isalnum(*s) || strchr("._-", *s) ? *s : '_');
    g_string_append(p, "__");
    for (const char *s = task; *s && p->len < 7 + 160; s++)
        g_string_append_c(p, g_ascii_isalnum(*s) || strchr("._-", *s) ? *s : '_');
    g_string_append_printf(p, "-%.8s.html", sum ? sum : "00000000");
    g_free(sum);
    g_free(key);
    return g_string_free(p, FALSE);
}

/* ---- leaderboard.json ------------------------------------------------------------- */

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static int add(json_t *obj, const char *key, json_t *v)
{
    return v ? json_object_set_new(obj, key, v) : -1;
}

static json_t *row_json(const struct wp_gen_config *c)
{
    json_t *r = json_object(), *hw = json_object(), *m = json_object(), *cmp = json_object();
    int bad = !r || !hw || !m || !cmp;
    bad |= add(r, "model", json_string(c->model));
    bad |= add(r, "task", json_string(c->task));
    bad |= add(r, "size_class", json_string(c->size_class));
    bad |= add(r, "parameters", num_or_null(c->parameters));
    bad |= add(hw, "gpu_model", json_string(c->gpu_model));
    bad |= add(hw, "gpu_count", num_or_null(c->gpu_count));
    bad |= add(r, "hardware", hw);
    bad |= add(r, "energy_scope", json_string(c->energy_scope));
    bad |= add(r, "batch_size", num_or_null(c->batch_size));
    bad |= add(r, "precision", json_string(c->precision));
    bad |= add(r, "runs", json_integer((json_int_t)c->n_runs));
    bad |= add(r, "energy_per", json_string(*c->run.energy_per ? c->run.energy_per : "run"));
    for (size_t i = 0; i < wp_gen_n_columns; i++) {
        json_t *v = json_object();
        bad |= !v;
        bad |= add(v, "value", num_or_null(wp_gen_value(c, &wp_gen_columns[i])));
        bad |= add(v, "unit", json_string(wp_gen_columns[i].unit));
        bad |= add(m, wp_gen_columns[i].key, v);
    }
    bad |= add(r, "metrics", m);
    bad |= add(r, "stars", c->stars ? json_integer(c->stars) : json_null());
    bad |= add(cmp, "task", json_string(c->task));
    bad |= add(cmp, "size_class", json_string(c->size_class));
    bad |= add(cmp, "gpu_model", json_string(c->gpu_model));
    bad |= add(cmp, "energy_scope", json_string(c->energy_scope));
    bad |= add(cmp, "configurations", json_integer((json_int_t)c->n_compared));
    bad |= add(r, "stars_compared_within", cmp);
    json_t *ci = json_object();
    bad |= !ci;
    bad |= add(ci, "unit", json_string("J"));
    bad |= add(ci, "over", json_string("runs"));
    bad |= add(ci, "n", json_integer((json_int_t)c->n_j_per_request));
    bad |= add(ci, "level", json_real(0.95));
    bad |= add(ci, "method", json_string("Student t over the configuration's runs"));
    bad |= add(ci, "sd", num_or_null(c->j_per_request_sd));
    bad |= add(ci, "lo", num_or_null(c->j_per_request_lo));
    bad |= add(ci, "hi", num_or_null(c->j_per_request_hi));
    bad |= add(r, "j_per_request_interval", ci);
    bad |= add(r, "informative", json_boolean(*c->informative));
    bad |= add(r, "informative_reason",
               *c->informative ? json_string(c->informative) : json_null());
    char *lp = label_path(c->model, c->task);
    bad |= add(r, "label", lp ? json_string(lp) : NULL);
    g_free(lp);
    if (bad) {
        json_decref(r);
        return NULL;
    }
    return r;
}

static char *leaderboard_json(const struct wp_gen_set *set, const struct wp_gen_filter *f)
{
    json_t *root = json_object(), *sel = json_object(), *rows = json_array();
    int bad = !root || !sel || !rows;
    bad |= add(root, "schema_version", json_integer(WP_LEADERBOARD_SCHEMA_VERSION));
    bad |= add(root, "generator", json_string("wattprint leaderboard"));
    bad |= add(sel, "task", f && f->task ? json_string(f->task) : json_null());
    bad |= add(sel, "model", f && f->model ? json_string(f->model) : json_null());
    bad |= add(sel, "gpu_model", f && f->gpu_model ? json_string(f->gpu_model) : json_null());
    char where[512];
    snprintf(where, sizeof where, "%s=%s", f && f->where_key ? f->where_key : "",
             f && f->where_value ? f->where_value : "");
    bad |= add(sel, "where", f && f->where_key ? json_string(where) : json_null());
    bad |= add(root, "selection", sel);
    bad |= add(root, "star_rule",
               json_string("AI Energy Score equal-width bins of J per request within task x "
                           "size class x GPU model x energy scope (the components the energy "
                           "covers: GPU alone is not compared with CPU+GPU+RAM): w = (max - "
                           "min) / 5, stars = 5 - min(4, floor((E - min) / w))"));
    bad |= add(root, "size_classes",
               json_string("A: up to 20e9 parameters, B: above 20e9 up to 66e9, C: above "
                           "66e9, '': unknown (AI Energy Score, Text Generation Model "
                           "Classes, Table 2)"));
    bad |= add(root, "informative_rule",
               json_string("informative: measured on a GPU other than an NVIDIA H100, or "
                           "class A or B on several GPUs; AI Energy Score rates neither"));
    for (size_t i = 0; !bad && i < set->n; i++) {
        json_t *r = row_json(&set->v[i]);
        bad |= !r || json_array_append_new(rows, r);
    }
    bad |= add(root, "rows", rows);
    char *text = bad ? NULL
                     : json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
                                            JSON_REAL_PRECISION(17) | JSON_ENSURE_ASCII);
    json_decref(root);
    return text;
}

/* ---- index.html ------------------------------------------------------------------- */

static const char style[] =
    "body{margin:0;font:16px/1.5 'DejaVu Sans',system-ui,sans-serif;color:#1a1a1a;"
    "background:#fff}main{max-width:72rem;margin:0 auto;padding:1.5rem 1rem 4rem}"
    "h1{font-size:1.8rem;margin:0 0 .5rem}.note{font-size:.85rem;color:#555}"
    "form{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}label{font-size:.9rem}"
    ".table-wrap{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem;"
    "min-width:100%}caption{text-align:left;color:#555;padding-bottom:.4rem}"
    "th,td{padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "thead th{border-top:2px solid #1a1a1a;border-bottom:1px solid #1a1a1a}"
    "tbody tr:nth-child(even){background:#f4f6f8}.num{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}"
    "th button{font:inherit;font-weight:bold;color:inherit;background:none;border:0;"
    "padding:0;cursor:pointer;text-align:inherit}"
    "th[aria-sort=ascending] button::after{content:' \\2191'}"
    "th[aria-sort=descending] button::after{content:' \\2193'}";

/* Sorting by any column header (numbers as numbers, blanks last) and filtering rows by
 * the three selects, which a link can preset (index.html#task=chat&class=A&gpu=H100); the
 * CSP allows this script alone, by its SHA-256.  Without scripts the table is whole. */
static const char script[] =
    "(function(){var t=document.getElementById('board'),b=t.tBodies[0],"
    "h=t.tHead.rows[0].cells,f=document.querySelectorAll('select[data-col]');"
    "function apply(){Array.prototype.forEach.call(b.rows,function(r){var ok=true;"
    "Array.prototype.forEach.call(f,function(s){if(s.value&&r.getAttribute('data-'+"
    "s.getAttribute('data-col'))!==s.value)ok=false;});r.hidden=!ok;});}"
    "Array.prototype.forEach.call(f,function(s){s.addEventListener('change',apply);});"
    "var q=new URLSearchParams(location.hash.slice(1));Array.prototype.forEach.call(f,"
    "function(s){var v=q.get(s.getAttribute('data-col'));if(v!==null)s.value=v;});apply();"
    "Array.prototype.forEach.call(h,function(th,i){var u=document.createElement('button');"
    "u.type='button';while(th.firstChild)u.appendChild(th.firstChild);th.appendChild(u);"
    "th.setAttribute('aria-sort','none');u.addEventListener('click',function(){"
    "var up=th.getAttribute('aria-sort')!=='ascending';Array.prototype.forEach.call(h,"
    "function(c){c.setAttribute('aria-sort','none');});"
    "th.setAttribute('aria-sort',up?'ascending':'descending');"
    "Array.prototype.slice.call(b.rows).sort(function(x,y){var p=x.cells[i].textContent,"
    "q=y.cells[i].textContent,a=parseFloat(p),c=parseFloat(q);if(isNaN(a)!==isNaN(c))"
    "return isNaN(a)?1:-1;var r=(!isNaN(a))?a-c:p.localeCompare(q);return up?r:-r;})"
    ".forEach(function(r){b.appendChild(r);});});});})();";

/* Distinct values of one text field over the rows, in row order of first appearance,
 * sorted: the options of a filter. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void filter_select(GString *p, const struct wp_gen_set *set, const char *id,
                          const char *label, size_t at)
{
    const char **v = malloc((set->n ? set->n : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; v && i < set->n; i++)
        v[n++] = *(char *const *)((const char *)&set->v[i] + at);
    if (v)
        qsort(v, n, sizeof *v, cmp_str);
    g_string_append_printf(p, "<label for=\"f-%s\">%s</label> <select id=\"f-%s\" "
                              "data-col=\"%s\"><option value=\"\">all</option>",
                           id, label, id, id);
    for (size_t i = 0; v && i < n; i++) {
        if (i && strcmp(v[i], v[i - 1]) == 0)
            continue;
        g_string_append(p, "<option value=\"");
        wp_html_escape(p, v[i]);
        g_string_append(p, "\">");
        wp_html_escape(p, *v[i] ? v[i] : "(unknown)");
        g_string_append(p, "</option>");
    }
    g_string_append(p, "</select>\n");
    free(v);
}

static void number(GString *p, double v)
{
    if (isfinite(v))
        g_string_append_printf(p, "%.4g", v);
}

/* The cells after the GPU model's (its own left open): GPUs, batch size, precision, runs. */
static void config_cells(GString *p, const struct wp_gen_config *c)
{
    g_string_append(p, "</td><td class=\"num\">");
    number(p, c->gpu_count);
    g_string_append(p, "</td><td class=\"num\">");
    number(p, c->batch_size);
    g_string_append(p, "</td><td>");
    wp_html_escape(p, c->precision);
    g_string_append_printf(p, "</td><td class=\"num\">%zu</td>", c->n_runs);
}

/* The J per request interval, "lo–hi" (nothing without one). */
static void interval_text(GString *p, const struct wp_gen_config *c)
{
    if (isfinite(c->j_per_request_lo)) {
        number(p, c->j_per_request_lo);
        g_string_append(p, "\xe2\x80\x93"); /* an en dash */
        number(p, c->j_per_request_hi);
    }
}

/* Whether AI Energy Score would rate it: "yes", or "informative: " and why not. */
static void informative_text(GString *p, const struct wp_gen_config *c)
{
    if (*c->informative) {
        g_string_append(p, "informative: ");
        wp_html_escape(p, c->informative);
    } else {
        g_string_append(p, "yes");
    }
}

static void row_html(GString *p, const struct wp_gen_config *c)
{
    char *lp = label_path(c->model, c->task);
    /* each piece of markup and the text that follows it, escaped */
    const char *const text[][2] = {
        {"<tr data-task=\"", c->task},
        {"\" data-class=\"", c->size_class},
        {"\" data-gpu=\"", c->gpu_model},
        {"\"><th scope=\"row\"><a href=\"", lp ? lp : ""},
        {"\">", c->model},
        {"</a></th><td>", c->task},
        {"</td><td>", c->size_class},
        {"</td><td>", c->gpu_model},
        {"</td><td>", c->energy_scope},
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        g_string_append(p, text[i][0]);
        wp_html_escape(p, text[i][1]);
    }
    g_free(lp);
    config_cells(p, c);
    for (size_t i = 0; i < sizeof page_cols / sizeof page_cols[0]; i++) {
        g_string_append(p, "<td class=\"num\">");
        number(p, wp_gen_value(c, wp_gen_column_find(page_cols[i])));
        g_string_append(p, "</td>");
        if (i == 0) { /* J per request: its interval beside it */
            g_string_append(p, "<td class=\"num\">");
            interval_text(p, c);
            g_string_append(p, "</td>");
        }
    }
    g_string_append(p, "<td>");
    informative_text(p, c);
    g_string_append(p, "</td>");
    if (c->stars)
        g_string_append_printf(p, "<td class=\"num\" aria-label=\"%d of 5 stars, among %zu "
                                  "configurations\">%d</td></tr>\n",
                               c->stars, c->n_compared, c->stars);
    else
        g_string_append(p, "<td class=\"num\"></td></tr>\n");
}

static GString *page(const struct wp_gen_set *set, const struct wp_leaderboard_opts *o,
                     const char *hash)
{
    const char *title = o->title ? o->title : "Energy leaderboard";
    const struct wp_gen_filter *f = o->selection;
    GString *p = g_string_sized_new(8192 + 1024 * set->n);
    g_string_append(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, "
                       "initial-scale=1\">\n");
    g_string_append_printf(p, "<meta http-equiv=\"Content-Security-Policy\" content=\""
                              "default-src 'none'; style-src 'unsafe-inline'; "
                              "script-src 'sha256-%s'\">\n<title>", hash);
    wp_html_escape(p, title);
    g_string_append_printf(p, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>",
                           style);
    wp_html_escape(p, title);
    g_string_append(p, "</h1>\n<p class=\"note\">Selection: task ");
    wp_html_escape(p, f && f->task ? f->task : "any");
    g_string_append(p, ", model ");
    wp_html_escape(p, f && f->model ? f->model : "any");
    g_string_append(p, ", GPU ");
    wp_html_escape(p, f && f->gpu_model ? f->gpu_model : "any");
    if (f && f->where_key) {
        g_string_append(p, ", where ");
        wp_html_escape(p, f->where_key);
        g_string_append(p, " = ");
        wp_html_escape(p, f->where_value);
    }
    g_string_append_printf(p, ". %zu configurations (model, task, GPU model and count, "
                              "batch size, precision); each figure is the mean over the "
                              "configuration's runs, energy per request with a 95%% Student "
                              "t interval over them (the unit: a run).  Each model links to "
                              "its label.  Stars compare configurations within "
                              "one task, size class, GPU model and energy scope only (GPU "
                              "energy alone is not compared with the whole machine's; AI "
                              "Energy Score's equal-width rule on energy per request).  "
                              "Every figure with "
                              "its unit: leaderboard.json.</p>\n",
                           set->n);
    g_string_append(p, "<form aria-label=\"Filters\">\n");
    filter_select(p, set, "task", "Task", offsetof(struct wp_gen_config, task));
    filter_select(p, set, "class", "Size class", offsetof(struct wp_gen_config, size_class));
    filter_select(p, set, "gpu", "Hardware", offsetof(struct wp_gen_config, gpu_model));
    g_string_append(p, "</form>\n<div class=\"table-wrap\">\n<table id=\"board\">\n"
                       "<caption>Configurations by task, size class, GPU model, energy "
                       "scope and model; select a column header to sort.</caption>\n<thead><tr><th scope=\"col\">Model</th>"
                       "<th scope=\"col\">Task</th><th scope=\"col\">Size class</th>"
                       "<th scope=\"col\">GPU</th><th scope=\"col\">Energy of</th>"
                       "<th scope=\"col\">GPUs</th>"
                       "<th scope=\"col\">Batch size</th><th scope=\"col\">Precision</th>"
                       "<th scope=\"col\">Runs</th>");
    for (size_t i = 0; i < sizeof page_cols / sizeof page_cols[0]; i++) {
        const struct wp_gen_column *k = wp_gen_column_find(page_cols[i]);
        g_string_append_printf(p, "<th scope=\"col\">%s (%s)</th>", k->label, k->unit);
        if (i == 0)
            g_string_append_printf(p, "<th scope=\"col\">%s, 95%% CI over runs (%s)</th>",
                                   k->label, k->unit);
    }
    g_string_append(p, "<th scope=\"col\">Comparable with AI Energy Score</th>"
                       "<th scope=\"col\">Stars</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < set->n; i++)
        row_html(p, &set->v[i]);
    g_string_append_printf(p, "</tbody>\n</table>\n</div>\n</main>\n<script>%s</script>\n"
                              "</body>\n</html>\n",
                           script);
    return p;
}

/* ---- labels/<model>__<task>-<hash>.html ---------------------------------------------
 * One static page per model and task, the page's rows link to: every configuration of the
 * model on the task with its J per request and interval, its stars and their comparison
 * set, and whether AI Energy Score would rate it.  No script. */
static GString *label_page(const struct wp_gen_set *set, const struct wp_gen_config *m)
{
    GString *p = g_string_sized_new(4096);
    g_string_append(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, "
                       "initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" "
                       "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>");
    wp_html_escape(p, m->model);
    g_string_append(p, ": energy label</title>\n");
    g_string_append_printf(p, "<style>%s</style>\n</head>\n<body>\n<main>\n<p class=\"note\">"
                              "<a href=\"../index.html\">Leaderboard</a></p>\n<h1>", style);
    wp_html_escape(p, m->model);
    g_string_append(p, "</h1>\n<p>Task ");
    wp_html_escape(p, m->task);
    g_string_append(p, ", size class ");
    wp_html_escape(p, *m->size_class ? m->size_class : "unknown");
    g_string_append(p, ".</p>\n<div class=\"table-wrap\">\n<table>\n<caption>Each "
                       "configuration of the model on this task: the mean over its runs with "
                       "a 95% Student t interval over them (the unit: a run); stars within "
                       "task, size class, GPU model and energy scope of this database, not "
                       "the AI Energy Score leaderboard.</caption>\n<thead><tr>"
                       "<th scope=\"col\">GPU</th><th scope=\"col\">Energy of</th>"
                       "<th scope=\"col\">GPUs</th><th scope=\"col\">Batch size</th>"
                       "<th scope=\"col\">Precision</th><th scope=\"col\">Runs</th>"
                       "<th scope=\"col\">Energy per request (J)</th>"
                       "<th scope=\"col\">95% CI (J)</th>"
                       "<th scope=\"col\">Wh per 1,000 queries (Wh)</th>"
                       "<th scope=\"col\">Stars</th><th scope=\"col\">Compared with</th>"
                       "<th scope=\"col\">Comparable with AI Energy Score</th></tr></thead>"
                       "\n<tbody>\n");
    for (size_t i = 0; i < set->n; i++) {
        const struct wp_gen_config *c = &set->v[i];
        if (strcmp(c->model, m->model) != 0 || strcmp(c->task, m->task) != 0)
            continue;
        g_string_append(p, "<tr><td>");
        wp_html_escape(p, c->gpu_model);
        g_string_append(p, "</td><td>");
        wp_html_escape(p, c->energy_scope);
        config_cells(p, c);
        g_string_append(p, "<td class=\"num\">");
        number(p, c->metrics.j_per_request);
        g_string_append(p, "</td><td class=\"num\">");
        interval_text(p, c);
        g_string_append(p, "</td><td class=\"num\">");
        number(p, wp_gen_value(c, wp_gen_column_find("wh_per_1k_queries")));
        g_string_append(p, "</td><td class=\"num\">");
        if (c->stars)
            g_string_append_printf(p, "%d of 5", c->stars);
        else
            g_string_append(p, c->n_compared == 1 && isfinite(c->metrics.j_per_request)
                                   ? "not rated: alone in its set"
                                   : "not rated");
        g_string_append_printf(p, "</td><td>%zu configuration(s) on ", c->n_compared);
        wp_html_escape(p, c->gpu_model);
        g_string_append(p, ", energy of ");
        wp_html_escape(p, c->energy_scope);
        g_string_append(p, "</td><td>");
        informative_text(p, c);
        g_string_append(p, "</td></tr>\n");
    }
    g_string_append(p, "</tbody>\n</table>\n</div>\n</main>\n</body>\n</html>\n");
    return p;
}

static enum wp_err write_file(const char *dir, const char *name, const char *text,
                              size_t len, struct wp_diag *d);

/* Every model x task's label page, each once. */
static enum wp_err write_labels(const struct wp_gen_set *set, const char *dir,
                                struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    GHashTable *done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; !e && i < set->n; i++) {
        char *path = label_path(set->v[i].model, set->v[i].task);
        if (g_hash_table_contains(done, path)) {
            g_free(path);
            continue;
        }
        GString *page = label_page(set, &set->v[i]);
        e = write_file(dir, path, page->str, page->len, d);
        g_string_free(page, TRUE);
        g_hash_table_add(done, path);
    }
    g_hash_table_destroy(done);
    return e;
}

static enum wp_err write_file(const char *dir, const char *name, const char *text,
                              size_t len, struct wp_diag *d)
{
    char *path = g_build_filename(dir, name, NULL);
    struct wp_atomic a;
    enum wp_err e = wp_atomic_begin(&a, path, d);
    if (!e) {
        if (fwrite(text, 1, len, a.f) != len) {
            wp_atomic_abort(&a);
            e = wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot write");
        } else {
            e = wp_atomic_commit(&a, d);
        }
    }
    g_free(path);
    return e;
}

enum wp_err wp_leaderboard_write(const struct wp_gen_set *set,
                                 const struct wp_leaderboard_opts *o, struct wp_diag *d)
{
    char hash[64];
    enum wp_err e = wp_html_csp_hash(script, sizeof script - 1, hash, sizeof hash, d);
    if (e)
        return e;
    char *json = leaderboard_json(set, o->selection);
    if (!json)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    GString *html = page(set, o, hash);
    size_t jn = strlen(json);
    char *jl = realloc(json, jn + 2);
    if (!jl) {
        free(json);
        g_string_free(html, TRUE);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    jl[jn] = '\n';
    jl[jn + 1] = '\0';
    e = write_file(o->dir, "leaderboard.json", jl, jn + 1, d);
    if (!e)
        e = write_labels(set, o->dir, d);
    if (!e)
        e = write_file(o->dir, "index.html", html->str, html->len, d);
    free(jl);
    g_string_free(html, TRUE);
    return e;
}
