/* Words for a basis summary: see basis.h. */
#include "analysis/basis.h"

static void basis_counts(const struct wp_basis_summary *b, int c, long long *total,
                         long long *modelled)
{
    *total = *modelled = 0;
    for (int k = 0; k < WP_N_BK; k++) {
        *total += b->n[c][k];
        if (wp_basis_kind_is_modelled(k))
            *modelled += b->n[c][k];
    }
}

bool wp_basis_all_modelled(const struct wp_basis_summary *b, int c)
{
    long long total, modelled;
    basis_counts(b, c, &total, &modelled);
    return total > 0 && modelled == total;
}

const char *wp_basis_word(const struct wp_basis_summary *b, int c)
{
    long long total, modelled;
    basis_counts(b, c, &total, &modelled);
    long long unknown = b->n[c][WP_BK_UNKNOWN];
    if (!total)
        return NULL;
    if (modelled)
        return modelled == total ? "modelled" : "partly modelled";
    if (unknown)
        return unknown == total ? "not stated" : "partly not stated";
    return b->n[c][WP_BK_ALL_GPUS] ? "measured (idle GPUs counted)" : "measured";
}
