build-check/src/stats/stars.o: src/stats/stars.c src/stats/internal.h \
 src/stats/stats.h src/util/err.h src/util/units.h
src/stats/internal.h:
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
