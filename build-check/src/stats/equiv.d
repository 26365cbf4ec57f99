build-check/src/stats/equiv.o: src/stats/equiv.c src/stats/stats.h \
 src/util/err.h src/util/units.h
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
