build-check/src/stats/box.o: src/stats/box.c src/stats/internal.h \
 src/stats/stats.h src/util/err.h src/util/units.h
src/stats/internal.h:
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
