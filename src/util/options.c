/* The declarative option parser (options.h): reads argv against a command's table, its
 * whole state in a struct wp_options.  Not a place for what an option means: commands
 * check their values themselves. */
#include <stdio.h>
#include <string.h>

#include "util/options.h"

void wp_options_init(struct wp_options *p, const struct wp_option *opts, unsigned flags,
                     int argc, char **argv)
{
    *p = (struct wp_options){.opts = opts, .flags = flags, .argc = argc, .argv = argv,
                             .next = 1};
}

static bool takes_arg(const struct wp_option *o)
{
    return o->kind == WP_OPT_STRING || o->kind == WP_OPT_ARG;
}

/* Two entries that do the same (--organisation and --organization) are no ambiguity. */
static bool same_effect(const struct wp_option *a, const struct wp_option *b)
{
    return a->kind == b->kind && a->id == b->id && a->value == b->value;
}

/* The entry for "--name" (len characters of it): exact, else a prefix of only one. */
static const struct wp_option *find_long(struct wp_options *p, const char *name, size_t len)
{
    const struct wp_option *found = NULL;
    bool ambiguous = false;
    for (const struct wp_option *o = p->opts; o->kind != WP_OPT_END; o++) {
        if (!o->long_name || strncmp(o->long_name, name, len) != 0)
            continue;
        if (o->long_name[len] == '\0')
            return o;
        if (found && !same_effect(found, o))
            ambiguous = true;
        else if (!found)
            found = o;
    }
    if (ambiguous) {
        snprintf(p->err, sizeof p->err, "option '--%.*s' is ambiguous", (int)len, name);
        return NULL;
    }
    if (!found)
        snprintf(p->err, sizeof p->err, "unknown option '--%.*s'", (int)len, name);
    return found;
}

static const struct wp_option *find_short(struct wp_options *p, char c)
{
    for (const struct wp_option *o = p->opts; o->kind != WP_OPT_END; o++)
        if (o->short_name && o->short_name == c)
            return o;
    snprintf(p->err, sizeof p->err, "unknown option '-%c'", c);
    return NULL;
}

/* Applies o with its argument v: stores it, or returns its id for the caller. */
static int apply(const struct wp_option *o, char *v, char **arg)
{
    switch (o->kind) {
    case WP_OPT_STRING: *(const char **)o->value = v; return 0;
    case WP_OPT_BOOL: *(bool *)o->value = true; return 0;
    default: *arg = v; return o->id;
    }
}

static void operand(struct wp_options *p, char *s)
{
    p->argv[++p->n_operands] = s;
}

/* The next element after an option that needs a value, or NULL with the message. */
static char *value_after(struct wp_options *p, const char *shown)
{
    if (p->next < p->argc)
        return p->argv[p->next++];
    snprintf(p->err, sizeof p->err, "option '%s' needs a value", shown);
    return NULL;
}

static int long_option(struct wp_options *p, char *a, char **arg)
{
    char *name = a + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct wp_option *o = find_long(p, name, len);
    if (!o)
        return -1;
    char shown[80];
    snprintf(shown, sizeof shown, "--%s", o->long_name);
    char *v = NULL;
    if (!takes_arg(o) && eq) {
        snprintf(p->err, sizeof p->err, "option '%s' takes no value", shown);
        return -1;
    }
    if (takes_arg(o) && !(v = eq ? eq + 1 : value_after(p, shown)))
        return -1;
    return apply(o, v, arg);
}

static int short_option(struct wp_options *p, char **arg)
{
    char c = *p->cluster++;
    const struct wp_option *o = find_short(p, c);
    if (!o)
        return -1;
    char *v = NULL;
    if (takes_arg(o)) {
        char shown[3] = {'-', c, '\0'};
        if (*p->cluster)
            v = p->cluster;
        else if (!(v = value_after(p, shown)))
            return -1;
        p->cluster = NULL;
    }
    if (p->cluster && !*p->cluster)
        p->cluster = NULL;
    return apply(o, v, arg);
}

int wp_options_next(struct wp_options *p, char **arg)
{
    *arg = NULL;
    for (;;) {
        int id;
        if (p->cluster) {
            if ((id = short_option(p, arg)) != 0)
                return id;
            continue;
        }
        if (p->next >= p->argc)
            break;
        char *a = p->argv[p->next++];
        if (p->only_operands || a[0] != '-' || a[1] == '\0') {
            operand(p, a);
            p->only_operands |= (p->flags & WP_OPTIONS_STOP_AT_OPERAND) != 0;
        } else if (strcmp(a, "--") == 0) {
            p->only_operands = true;
        } else if (a[1] == '-') {
            if ((id = long_option(p, a, arg)) != 0)
                return id;
        } else {
            p->cluster = a + 1;
        }
    }
    if (p->n_operands + 1 <= p->argc)
        p->argv[p->n_operands + 1] = NULL;
    return 0;
}

int wp_options_parse(struct wp_options *p, const struct wp_option *opts, unsigned flags,
                     int argc, char **argv)
{
    wp_options_init(p, opts, flags, argc, argv);
    char *arg;
    int id = wp_options_next(p, &arg);
    if (id > 0) {
        snprintf(p->err, sizeof p->err, "option %d is not handled", id);
        return -1;
    }
    return id;
}
