/* The names of the unit of intervals (groups.h): parsed from --unit, printed by every
 * writer.  Pure. */
#include "stats/groups.h"

#include <string.h>

bool wp_unit_parse(const char *s, enum wp_unit *u)
{
    static const struct {
        const char *name;
        enum wp_unit unit;
    } names[] = {{"model", WP_UNIT_MODEL}, {"experiment", WP_UNIT_EXPERIMENT},
                 {"run", WP_UNIT_RUN}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *u = names[i].unit;
            return true;
        }
    return false;
}

const char *wp_unit_name(enum wp_unit u, size_t n)
{
    switch (u) {
    case WP_UNIT_MODEL: return n == 1 ? "model" : "models";
    case WP_UNIT_EXPERIMENT: return n == 1 ? "experiment" : "experiments";
    case WP_UNIT_RUN: return n == 1 ? "run" : "runs";
    case WP_UNIT_AUTO: break;
    }
    return "?";
}
