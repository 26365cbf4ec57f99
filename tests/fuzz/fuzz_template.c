/* libFuzzer harness of the template engine (src/report/template.c): any bytes as a
 * template, loaded through wp_tpl_load from a file as `card --template` and `report
 * --templates` do, and compiled against the card's vocabulary (Markdown/YAML escaping) and
 * the three vocabularies of the report's prose (pango markup, compiled from memory).  A template that compiles is
 * rendered twice with values made from the vocabulary itself (every name, text full of
 * characters that need escaping, numbers finite and not, lists of 0 to 3 items; the mode
 * byte in the middle of the input picks the list length and may leave some names without a
 * value), with a render budget of 1 MiB.  Promises checked: errors are an enum wp_err with a NUL-terminated, UTF-8 message,
 * a parse error names the file and a line of it; no value reaches the output unescaped (more
 * markers than with neutral texts, see MARK); the same values give the same bytes; the
 * output stays within the engine's limit.
 * Seeds: templates/ (tests/fuzz/seed). */
#include "fuzz.h"
#include "report/card.h"
#include "report/report.h"
#include "report/template.h"

/* In every text value: the marker must never come out as it is (each escaping changes '<'
 * or '"'); it sits inside the value, so no quote the escaping adds around it completes it.
 * The template's own text can spell a marker too (`<q{{name}}"z>` around an empty value),
 * so a render with the markers is compared with one whose texts have a neutral string in
 * their place (PLAIN, PLAIN_NL): only a value can give the first more markers. */
#define MARK "<q\"z>"
#define MARK_NL "\nZQ" /* a newline: Markdown and YAML escape it, pango markup keeps it */
#define PLAIN "_q_z_"
#define PLAIN_NL "_zq"
/* The render budget here: 64 MiB (WP_TPL_MAX_OUTPUT) four times per input is too slow for
 * a fuzzer; the engine's own limit is tested in tests/report/test_template.c. */
#define FZ_MAX_OUTPUT (1 << 20)

#define TEXT(mark, mark_nl)                                                                \
    "A" mark "B & 'c' `d` *e* _f_ [g](h) |i| #j ~k \\l {{model}} }}{{ \xC2\x85 \xE2\x80\xA8"   \
    " \xEF\xBB\xBF \x7f\x01" mark_nl "\n---\n: - ? \xC3\xA9t\xC3\xA9 end"
static const char *const texts[] = {TEXT(MARK, MARK_NL), "", "plain"};
static const char *const plain_texts[] = {TEXT(PLAIN, PLAIN_NL), "", "plain"};
static const double nums[] = {0.000123456, NAN, -1e300, 12345.678, 0, INFINITY};
static const long long ints[] = {0, -9223372036854775807LL - 1, 12345, 1};

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Fills v with a value for every name of vocab, texts from tx (texts or plain_texts);
 * lists get n_items items, each filled the same way, to depth 4.  When drop is set, some
 * names get no value at all. */
static void fill(struct wp_tval *v, const struct wp_tpl_name *vocab, const char *const *tx,
                 unsigned mode, size_t n_items, bool drop, int depth)
{
    for (size_t i = 0; vocab[i].name; i++) {
        const char *name = vocab[i].name;
        unsigned h = hash(name) + mode;
        if (drop && h % 7 == 0)
            continue;
        if (vocab[i].children) {
            wp_tval_list(v, name);
            for (size_t k = 0; depth < 4 && k < n_items; k++)
                fill(wp_tval_item(v, name), vocab[i].children, tx, mode + (unsigned)k,
                     n_items, drop, depth + 1);
            continue;
        }
        switch (h % 3) {
        case 0: wp_tval_text(v, name, tx[(h / 3) % 3]); break;
        case 1: wp_tval_num(v, name, nums[(h / 3) % 6], (int)(h % 19) - 1); break;
        default: wp_tval_int(v, name, ints[(h / 3) % 4]); break;
        }
    }
}

static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t n = 1;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    return n;
}

static void check_diag(const char *what, enum wp_err e, const struct wp_diag *d,
                       size_t lines)
{
    fz_error(what, e, d);
    if (!e)
        return;
    if (!wp_utf8_valid(d->msg, strlen(d->msg)))
        fz_fail("%s: message is not valid UTF-8: \"%s\"", what, d->msg);
    if (e == WP_ERR_PARSE) {
        if (strcmp(d->file, fz_in.path) != 0)
            fz_fail("%s: parse error names file \"%s\"", what, d->file);
        if (d->line > (long)lines)
            fz_fail("%s: line %ld of a %zu-line template", what, d->line, lines);
    }
}

/* Renders t with root into a new string; *len its length. */
static char *render(const struct wp_tpl *t, const struct wp_tval *root, size_t lines,
                    size_t *len, enum wp_err *e)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        fz_fail("open_memstream: %s", strerror(errno));
    struct wp_diag d = {0};
    *e = wp_tpl_render(t, root, f, &d);
    if (fclose(f) != 0)
        fz_fail("fclose of a memory stream");
    check_diag("render", *e, &d, lines);
    if (*e && *e != WP_ERR_PARSE && *e != WP_ERR_LIMIT)
        fz_fail("render: error %d (%s)", (int)*e, d.msg);
    return buf;
}

/* How many times needle occurs in hay[0..len), overlaps included. */
static size_t count(const char *hay, size_t len, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = hay, *end = hay + len;
         (p = memmem(p, (size_t)(end - p), needle, k)) != NULL; p++)
        n++;
    return n;
}

/* Compiles the input against vocab, from the file as a command loads it (the card) or from
 * memory (the report's vocabularies: the same compiler, without reading the file again). */
static void one(const uint8_t *data, size_t size, const struct wp_tpl_name *vocab,
                bool is_markup, bool from_file)
{
    struct wp_tpl *t = NULL;
    struct wp_diag d = {0};
    size_t lines = count_lines(data, size);
    enum wp_err e = from_file ? wp_tpl_load(fz_in.path, vocab, &t, &d)
                              : wp_tpl_compile((const char *)data, size, fz_in.path, vocab, &t,
                                               &d);
    check_diag("compile", e, &d, lines);
    if (e) {
        if (t)
            fz_fail("compile failed but gave a template");
        if (e != WP_ERR_PARSE && e != WP_ERR_LIMIT)
            fz_fail("compile: error %d (%s)", (int)e, d.msg);
        return;
    }
    if (is_markup)
        wp_tpl_set_markup(t);
    wp_tpl_set_max_output(t, FZ_MAX_OUTPUT);
    unsigned mode = fz_mode(data, size);
    struct wp_tval *root = wp_tval_new();
    if (!root)
        fz_fail("wp_tval_new: out of memory");
    struct wp_tval *plain = wp_tval_new();
    if (!plain)
        fz_fail("wp_tval_new: out of memory");
    fill(root, vocab, texts, mode >> 3, mode & 3, (mode & 4) != 0, 0);
    fill(plain, vocab, plain_texts, mode >> 3, mode & 3, (mode & 4) != 0, 0);
    size_t len1 = 0, len2 = 0, len_p = 0;
    enum wp_err e1, e2, e_p;
    char *out1 = render(t, root, lines, &len1, &e1);
    char *out2 = render(t, root, lines, &len2, &e2);
    char *out_p = render(t, plain, lines, &len_p, &e_p);
    if (e1 != e2 || len1 != len2 || memcmp(out1, out2, len1) != 0)
        fz_fail("two renders of the same values differ");
    if (len1 > FZ_MAX_OUTPUT)
        fz_fail("%zu bytes of output, beyond the limit of %d", len1, FZ_MAX_OUTPUT);
    /* escaped texts differ in length, so a render cut at the budget ends elsewhere */
    bool is_whole = e1 != WP_ERR_LIMIT && e_p != WP_ERR_LIMIT;
    if (is_whole && count(out1, len1, MARK) > count(out_p, len_p, MARK))
        fz_fail("a value came out unescaped");
    if (is_whole && !is_markup && count(out1, len1, MARK_NL) > count(out_p, len_p, MARK_NL))
        fz_fail("a newline of a value came out as it is");
    free(out1);
    free(out2);
    free(out_p);
    wp_tval_free(root);
    wp_tval_free(plain);
    wp_tpl_free(t);
}

FZ_INITIALIZE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_put(data, size);
    one(data, size, wp_card_vocab, false, true);
    one(data, size, wp_report_summary_vocab, true, false);
    one(data, size, wp_report_method_vocab, true, false);
    one(data, size, wp_report_limits_vocab, true, false);
    return 0;
}
