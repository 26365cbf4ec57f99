/* Tests of the commands as library calls (src/cli/commands.h), the calls batch makes: each
 * writes to the FILE * it is given, gives the bytes its command gives for the same options,
 * runs again in the same process with the same result (no parser state left behind), and
 * wp_cli_run puts a command's output into a file atomically, or leaves none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "cli/commands.h"

struct fixture {
    char dir[64], db[96];
    struct wp_cli cli;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/wp-test-commands.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/w.db", f->dir);
    f->cli = (struct wp_cli){.db_path = f->db, .quiet = true, .out = stdout};
    static const char *const files[][2] = {
        {"fixtures/synth/complete/text_classification__imdb.csv", "text_classification"},
        {"fixtures/synth/complete/summarization__xsum.csv", "summarization"},
    };
    for (size_t i = 0; i < 2; i++) {
        char *argv[] = {"ingest", "--model", "m", "--task", (char *)files[i][1], "--dataset",
                        "d", "--inferences", "1000", (char *)files[i][0], NULL};
        if (wp_cmd_ingest(&f->cli, 10, argv) != WP_EXIT_OK)
            return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char path[160];
    static const char *const names[] = {"w.db", "w.db-wal", "w.db-shm", "s.json"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", f->dir, names[i]);
        unlink(path);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* What a call writes to its FILE *, as a string (free it). */
struct capture {
    char *buf;
    size_t len;
    FILE *f;
};

static void capture_begin(struct capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
}

static char *capture_end(struct capture *c)
{
    assert_int_equal(fclose(c->f), 0);
    return c->buf;
}

/* A command run on argv, its output captured through cli->out. */
static char *run_command(struct wp_cli *cli, int (*cmd)(struct wp_cli *, int, char **),
                         char **argv, int argc, int *rc)
{
    struct capture c;
    capture_begin(&c);
    FILE *saved = cli->out;
    cli->out = c.f;
    *rc = cmd(cli, argc, argv);
    cli->out = saved;
    return capture_end(&c);
}

static void test_stats_call_writes_the_commands_json_to_its_file(void **state)
{
    struct fixture *f = *state;
    struct wp_stats_cmd o;
    wp_stats_cmd_defaults(&o);
    o.fmt = WP_OUT_JSON;
    o.a.filter.task = "summarization";
    struct capture c;
    capture_begin(&c);
    assert_int_equal(wp_stats_cmd_run(&f->cli, &o, c.f), WP_EXIT_OK);
    char *call = capture_end(&c);
    assert_true(strncmp(call, "{\"meta\": ", 9) == 0);
    assert_non_null(strstr(call, "\"summarization\""));
    assert_null(strstr(call, "\"text_classification\"")); /* the filter applies */
    /* the command with the same options writes the same bytes */
    char *argv[] = {"stats", "--format", "json", "--task", "summarization", NULL};
    int rc;
    char *cmd = run_command(&f->cli, wp_cmd_stats, argv, 5, &rc);
    assert_int_equal(rc, WP_EXIT_OK);
    assert_string_equal(call, cmd);
    free(call);
    free(cmd);
}

static void test_commands_run_twice_in_one_process_give_the_same_bytes(void **state)
{
    struct fixture *f = *state;
    /* the second parse starts afresh: a process-wide getopt needed resetting for it */
    char *a1[] = {"latex", "--by", "model,task", "--task", "summarization", NULL};
    char *a2[] = {"latex", "--by", "model,task", "--task", "summarization", NULL};
    int rc1, rc2;
    char *first = run_command(&f->cli, wp_cmd_latex, a1, 5, &rc1);
    char *second = run_command(&f->cli, wp_cmd_latex, a2, 5, &rc2);
    assert_int_equal(rc1, WP_EXIT_OK);
    assert_int_equal(rc2, WP_EXIT_OK);
    assert_non_null(strstr(first, "\\begin{table"));
    assert_string_equal(first, second);
    /* and the call batch makes gives them too */
    struct wp_latex_cmd x;
    wp_latex_cmd_defaults(&x);
    x.r.a.by = WP_BY_MODEL_TASK;
    x.r.a.filter.task = "summarization";
    struct capture c;
    capture_begin(&c);
    assert_int_equal(wp_latex_cmd_run(&f->cli, &x, c.f), WP_EXIT_OK);
    char *call = capture_end(&c);
    assert_string_equal(first, call);
    free(first);
    free(second);
    free(call);
}

static void test_cli_run_writes_a_commands_output_into_a_file_only_on_success(void **state)
{
    struct fixture *f = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/s.json", f->dir);
    char *ok[] = {"stats", "--format", "json", NULL};
    assert_int_equal(wp_cli_run(&f->cli, wp_cmd_find("stats"), 3, ok, path), WP_EXIT_OK);
    assert_ptr_equal(f->cli.out, stdout); /* given back */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 100);
    unlink(path);
    /* a command that fails leaves no file (and no temporary one) */
    char *bad[] = {"stats", "--format", "json", "--task", "no_such_task", NULL};
    assert_int_equal(wp_cli_run(&f->cli, wp_cmd_find("stats"), 5, bad, path), WP_EXIT_FAIL);
    assert_int_not_equal(stat(path, &st), 0);
    assert_ptr_equal(f->cli.out, stdout);
    char *usage[] = {"stats", "--format", NULL}; /* a missing value: a usage error */
    assert_int_equal(wp_cli_run(&f->cli, wp_cmd_find("stats"), 2, usage, path), WP_EXIT_USAGE);
    assert_int_not_equal(stat(path, &st), 0);
}

static void test_card_call_writes_to_its_file_without_a_path(void **state)
{
    struct fixture *f = *state;
    struct wp_card_cmd k;
    wp_card_cmd_defaults(&k);
    k.model = "m";
    k.template_path = "templates/card.md";
    struct capture c;
    capture_begin(&c);
    assert_int_equal(wp_card_cmd_run(&f->cli, &k, c.f), WP_EXIT_OK);
    char *call = capture_end(&c);
    assert_true(strlen(call) > 100);
    char *argv[] = {"card", "m", "--template", "templates/card.md", NULL};
    int rc;
    char *cmd = run_command(&f->cli, wp_cmd_card, argv, 4, &rc);
    assert_int_equal(rc, WP_EXIT_OK);
    assert_string_equal(call, cmd);
    free(call);
    free(cmd);
}

static enum wp_err write_hello(void *ctx, FILE *f, struct wp_diag *d)
{
    (void)d;
    fputs(ctx, f);
    return WP_OK;
}

static enum wp_err write_and_fail(void *ctx, FILE *f, struct wp_diag *d)
{
    fputs(ctx, f);
    return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0, "nothing to write");
}

static void test_write_output_goes_to_the_file_or_the_stream(void **state)
{
    struct fixture *f = *state;
    struct capture c;
    capture_begin(&c);
    struct wp_diag d = {0};
    assert_int_equal(wp_cli_write_output(&f->cli, NULL, c.f, write_hello, "hi\n", &d), WP_OK);
    char *s = capture_end(&c);
    assert_string_equal(s, "hi\n");
    free(s);
    char path[160];
    snprintf(path, sizeof path, "%s/s.json", f->dir);
    assert_int_equal(wp_cli_write_output(&f->cli, path, stdout, write_hello, "yo\n", &d), WP_OK);
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    char buf[8] = "";
    assert_non_null(fgets(buf, sizeof buf, in));
    fclose(in);
    assert_string_equal(buf, "yo\n");
    unlink(path);
    /* a writer that fails: no file, and the message names it */
    assert_int_equal(wp_cli_write_output(&f->cli, path, stdout, write_and_fail, "x", &d),
                     WP_ERR_EMPTY);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0);
    assert_string_equal(d.file, path);
    /* never over the database */
    d = (struct wp_diag){0};
    assert_int_not_equal(wp_cli_write_output(&f->cli, f->db, stdout, write_hello, "x", &d),
                         WP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_call_writes_the_commands_json_to_its_file),
        cmocka_unit_test(test_commands_run_twice_in_one_process_give_the_same_bytes),
        cmocka_unit_test(test_cli_run_writes_a_commands_output_into_a_file_only_on_success),
        cmocka_unit_test(test_card_call_writes_to_its_file_without_a_path),
        cmocka_unit_test(test_write_output_goes_to_the_file_or_the_stream),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
