build-check/src/stats/compare.o: src/stats/compare.c src/stats/internal.h \
 src/stats/stats.h src/util/err.h src/util/units.h
src/stats/internal.h:
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
