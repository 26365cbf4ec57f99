build-check/src/stats/runs.o: src/stats/runs.c src/stats/runs.h \
 src/store/store.h src/util/err.h src/util/time.h src/util/units.h
src/stats/runs.h:
src/store/store.h:
src/util/err.h:
src/util/time.h:
src/util/units.h:
