build-check/src/stats/pertoken.o: src/stats/pertoken.c src/stats/stats.h \
 src/util/err.h src/util/units.h
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
