build-check/src/stats/draws.o: src/stats/draws.c src/stats/internal.h \
 src/stats/stats.h src/util/err.h src/util/units.h
src/stats/internal.h:
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
