build-check/src/stats/ci.o: src/stats/ci.c src/stats/internal.h \
 src/stats/stats.h src/util/err.h src/util/units.h
src/stats/internal.h:
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
