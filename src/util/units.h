/* Units at the edges.  The store and the statistics keep SI base values (joules, seconds,
 * grams); kWh appear only where people read them or a format asks for them.  The one place
 * the joules in a kilowatt-hour are written. */
#ifndef WP_UTIL_UNITS_H
#define WP_UTIL_UNITS_H

#define WP_J_PER_KWH 3.6e6 /* 1 kWh = 1,000 W x 3,600 s */

/* Joules as kilowatt-hours, and back. */
static inline double wp_kwh_of_j(double j) { return j / WP_J_PER_KWH; }
static inline double wp_j_of_kwh(double kwh) { return kwh * WP_J_PER_KWH; }
#define WP_J_PER_WH 3600.0 /* 1 Wh = 1 W x 3,600 s */

/* Joules as watt-hours. */
static inline double wp_wh_of_j(double j) { return j / WP_J_PER_WH; }
/* Kilowatt-hours as watt-hours (the AI Energy Score's Wh per 1,000 queries). */
static inline double wp_wh_of_kwh(double kwh) { return kwh * 1000.0; }

#endif
