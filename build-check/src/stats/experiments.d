build-check/src/stats/experiments.o: src/stats/experiments.c \
 src/stats/experiments.h src/stats/stats.h src/util/err.h \
 src/util/units.h src/store/store.h src/stats/runs.h
src/stats/experiments.h:
src/stats/stats.h:
src/util/err.h:
src/util/units.h:
src/store/store.h:
src/stats/runs.h:
