/* Unit tests of token-count files and the names map (src/ingest/tokens.c). */
#include "ingest_check.h"

#include "ingest/tokens.h"

struct seen {
    int n;
    struct {
        char model[64], dataset[64], logged_model[64];
        long long samples, in, out;
    } v[8];
};

static int keep(void *ctx, const struct wp_token_count *c, bool has_experiment)
{
    (void)has_experiment;
    struct seen *s = ctx;
    if (s->n < 8) {
        snprintf(s->v[s->n].model, 64, "%s", c->model);
        snprintf(s->v[s->n].dataset, 64, "%s", c->dataset);
        snprintf(s->v[s->n].logged_model, 64, "%s", c->logged_model);
        s->v[s->n].samples = c->samples;
        s->v[s->n].in = c->input_tokens;
        s->v[s->n].out = c->output_tokens;
    }
    s->n++;
    return 0;
}

static void test_tokens_sums_per_model_and_dataset_under_mapped_names(void **state)
{
    struct fx *f = *state;
    const char *map = fx_write(f, "names.csv",
                               "field,logged,label\n"
                               "model,bigscience/bloomz-7b,bigscience/bloomz-7b1\n"
                               "dataset,Squad_2_,squad2\n");
    struct wp_token_names *names;
    assert_int_equal(wp_token_names_load(map, &names, NULL), WP_OK);
    /* columns by name in any order and case, with an extra column */
    const char *len = fx_write(f, "squad2.csv",
                               "dataset,note,output,MODEL,input\n"
                               "Squad_2_,x,1,bigscience/bloomz-7b,130\n"
                               "Squad_2_,y,4,bigscience/bloomz-7b,120\n"
                               "Squad_2_,z,2,google/flan-t5-xl,100\n");
    assert_string_equal(wp_token_names_label(names, "model", "gpt2"), "gpt2");
    struct wp_tokens_result res;
    struct wp_diag d = {0};
    if (wp_ingest_tokens(f->s, len, names, &res, &d) != WP_OK)
        fail_msg("%s:%ld:%ld: %s", d.file, d.line, d.col, d.msg);
    assert_int_equal(res.samples, 3);
    assert_int_equal(res.pairs, 2);
    struct seen s = {0};
    assert_int_equal(wp_store_each_token_count(f->s, keep, &s, NULL), WP_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.v[0].model, "bigscience/bloomz-7b1"); /* ordered by model */
    assert_string_equal(s.v[0].dataset, "squad2");
    assert_string_equal(s.v[0].logged_model, "bigscience/bloomz-7b");
    assert_int_equal(s.v[0].samples, 2);
    assert_int_equal(s.v[0].in, 250);
    assert_int_equal(s.v[0].out, 5);
    assert_string_equal(s.v[1].model, "google/flan-t5-xl"); /* not in the map: as written */
    assert_string_equal(s.v[1].dataset, "squad2");
    assert_int_equal(s.v[1].in, 100);
    wp_token_names_free(names);
}

static void test_tokens_reading_a_file_again_replaces_its_counts(void **state)
{
    struct fx *f = *state;
    const char *len = fx_write(f, "a.csv", "Input,Output,model,dataset\n10,1,m,d\n");
    struct wp_tokens_result res;
    assert_int_equal(wp_ingest_tokens(f->s, len, NULL, &res, NULL), WP_OK);
    fx_write(f, "a.csv", "Input,Output,model,dataset\n10,1,m,d\n30,3,m,d\n");
    assert_int_equal(wp_ingest_tokens(f->s, len, NULL, &res, NULL), WP_OK);
    struct seen s = {0};
    assert_int_equal(wp_store_each_token_count(f->s, keep, &s, NULL), WP_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.v[0].samples, 2);
    assert_int_equal(s.v[0].in, 40);
    assert_int_equal(s.v[0].out, 4);
}

/* Each bad input: its error code and where the message points. */
static void expect_error(struct fx *f, const char *text, const struct wp_token_names *names,
                         enum wp_err want, long line, long col, const char *words)
{
    const char *len = fx_write(f, "bad.csv", text);
    struct wp_tokens_result res;
    struct wp_diag d = {0};
    assert_int_equal(wp_ingest_tokens(f->s, len, names, &res, &d), want);
    assert_int_equal(d.line, line);
    assert_int_equal(d.col, col);
    if (!strstr(d.msg, words))
        fail_msg("message \"%s\" lacks \"%s\"", d.msg, words);
    struct seen s = {0};
    assert_int_equal(wp_store_each_token_count(f->s, keep, &s, NULL), WP_OK);
    assert_int_equal(s.n, 0); /* nothing of the file is kept */
}

static void test_tokens_refuses_bad_counts_at_their_line_and_column(void **state)
{
    struct fx *f = *state;
    expect_error(f, "Input,Output,model,dataset\n10,1,m,d\n10,-2,m,d\n", NULL, WP_ERR_PARSE,
                 3, 2, "Output");
    expect_error(f, "Input,Output,model,dataset\n1.5,1,m,d\n", NULL, WP_ERR_PARSE, 2, 1,
                 "whole number");
    expect_error(f, "Input,Output,model,dataset\n,1,m,d\n", NULL, WP_ERR_PARSE, 2, 1, "Input");
    expect_error(f, "Input,Output,model,dataset\n1,1,,d\n", NULL, WP_ERR_PARSE, 2, 3,
                 "model is empty");
    expect_error(f, "Input,Output,model\n1,1,m\n", NULL, WP_ERR_PARSE, 1, 0, "no dataset column");
    expect_error(f, "Input,Output,model,dataset\n1,1,m,d,extra\n", NULL, WP_ERR_PARSE, 2, 0,
                 "expected 4 fields");
    expect_error(f, "Input,Output,model,dataset\n", NULL, WP_ERR_EMPTY, 0, 0, "no token counts");
}

static void test_tokens_refuses_two_spellings_mapped_to_one_pair(void **state)
{
    struct fx *f = *state;
    const char *map = fx_write(f, "names.csv", "field,logged,label\nmodel,bloomz-1b,bloomz-1b7\n");
    struct wp_token_names *names;
    assert_int_equal(wp_token_names_load(map, &names, NULL), WP_OK);
    expect_error(f, "Input,Output,model,dataset\n1,1,bloomz-1b7,d\n2,2,bloomz-1b,d\n", names,
                 WP_ERR_CONFLICT, 3, 3, "both map to bloomz-1b7, d");
    wp_token_names_free(names);
}

static void test_token_names_refuses_a_name_mapped_twice_or_an_unknown_field(void **state)
{
    struct fx *f = *state;
    struct wp_token_names *names;
    struct wp_diag d = {0};
    const char *map = fx_write(f, "n1.csv", "field,logged,label\nmodel,a,b\nmodel,a,c\n");
    assert_int_equal(wp_token_names_load(map, &names, &d), WP_ERR_CONFLICT);
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.msg, "line 2"));
    map = fx_write(f, "n2.csv", "field,logged,label\ntask,a,b\n");
    assert_int_equal(wp_token_names_load(map, &names, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 1);
    map = fx_write(f, "n3.csv", "logged,label\na,b\n");
    assert_int_equal(wp_token_names_load(map, &names, &d), WP_ERR_PARSE);
    assert_non_null(strstr(d.msg, "no field column"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_tokens_sums_per_model_and_dataset_under_mapped_names),
        T(test_tokens_reading_a_file_again_replaces_its_counts),
        T(test_tokens_refuses_bad_counts_at_their_line_and_column),
        T(test_tokens_refuses_two_spellings_mapped_to_one_pair),
        T(test_token_names_refuses_a_name_mapped_twice_or_an_unknown_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
