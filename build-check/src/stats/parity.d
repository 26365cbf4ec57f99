build-check/src/stats/parity.o: src/stats/parity.c src/stats/stats.h \
 src/util/err.h src/util/units.h
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
