build-check/src/stats/describe.o: src/stats/describe.c \
 src/stats/internal.h src/stats/stats.h src/util/err.h src/util/units.h
src/stats/internal.h:
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
