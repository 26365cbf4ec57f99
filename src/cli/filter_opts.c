/* The run selection options shared by the commands that read runs (cli/filter_opts.h). */
#include "cli/filter_opts.h"

bool wp_cli_filter_opt(int opt, const char *arg, struct wp_run_filter *f)
{
    switch (opt) {
    case 'p': f->phase = arg; return true;
    case 't': f->task = arg; return true;
    case 'm': f->model = arg; return true;
    case 'd': f->dataset = arg; return true;
    default: return false;
    }
}
