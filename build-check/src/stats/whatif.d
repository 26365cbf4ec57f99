build-check/src/stats/whatif.o: src/stats/whatif.c src/stats/stats.h \
 src/util/err.h src/util/units.h
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
