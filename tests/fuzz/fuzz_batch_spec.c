/* libFuzzer harness of the batch spec reader (src/report/spec.c, on libyaml): any bytes as a
 * spec.  A spec that loads must keep its promises: text fields UTF-8, report names unique
 * plain names, paper a4 or letter, and every output path wp_batch_path gives inside the
 * output root (no absolute part, no ".." component after the root).  Seeds:
 * tests/fuzz/seed. */
#include "fuzz.h"
#include "report/spec.h"

static void opt_str(const char *what, const char *s)
{
    if (s)
        fz_str(what, s);
}

/* Fails unless rest is a relative path without a ".." component. */
static void check_confined(const char *path, const char *rest)
{
    if (rest[0] == '/')
        fz_fail("output path \"%s\" is absolute after the root", path);
    for (const char *s = rest; *s;) {
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 2 && s[0] == '.' && s[1] == '.')
            fz_fail("output path \"%s\" climbs out of the root", path);
        s += len + (e != NULL);
    }
}

static void check_entry(const struct wp_batch_spec *s, size_t i)
{
    const struct wp_batch_entry *e = &s->entries[i];
    fz_str("name", e->name);
    fz_str("dir", e->dir);
    if (!*e->name || strchr(e->name, '/'))
        fz_fail("name \"%s\" is not a plain name", e->name);
    for (size_t j = 0; j < i; j++)
        if (strcmp(s->entries[j].name, e->name) == 0)
            fz_fail("name \"%s\" twice", e->name);
    opt_str("title", e->title);
    opt_str("subtitle", e->subtitle);
    opt_str("organisation", e->organisation);
    opt_str("task", e->task);
    opt_str("model", e->model);
    opt_str("dataset", e->dataset);
    opt_str("phase", e->phase);
    opt_str("where key", e->where_key);
    opt_str("where value", e->where_value);
    if ((e->where_key == NULL) != (e->where_value == NULL))
        fz_fail("where key without value or value without key");
    /* the exports (boamps, sci, spdx, eu-ai-act) are outputs too, outside the default set */
    if (e->produce & ~(WP_PRODUCE_DEFAULT | WP_PRODUCE_EXPORTS))
        fz_fail("produce bits %#x", e->produce);
    static const char *const files[] = {NULL, "report.pdf", "cards/gpt2.md", "..", "/etc"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        char buf[8192];
        struct wp_diag d = {0};
        enum wp_err err = wp_batch_path(s, e, files[k], buf, sizeof buf, &d);
        fz_error("batch path", err, &d);
        if (err)
            continue;
        if (s->output[0] != '/' && buf[0] == '/')
            fz_fail("output path \"%s\" is absolute, its root \"%s\" is not", buf, s->output);
        size_t root = strlen(s->output);
        if (strncmp(buf, s->output, root) != 0 || buf[root] != '/')
            fz_fail("output path \"%s\" is not under the root \"%s\"", buf, s->output);
        check_confined(buf, buf + root + 1);
    }
}

FZ_INITIALIZE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wp_batch_spec s;
    struct wp_diag d = {0};
    fz_put(data, size);
    enum wp_err e = wp_batch_spec_load(fz_in.path, &s, &d);
    fz_error("spec", e, &d);
    if (!e) {
        fz_str("output", s.output);
        opt_str("paper", s.paper);
        if (s.paper && strcmp(s.paper, "a4") != 0 && strcmp(s.paper, "letter") != 0)
            fz_fail("paper \"%s\"", s.paper);
        if (!s.n || !s.entries)
            fz_fail("a spec without reports loaded");
        for (size_t i = 0; i < s.n; i++)
            check_entry(&s, i);
    }
    wp_batch_spec_free(&s);
    return 0;
}
