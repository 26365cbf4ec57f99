build-check/src/stats/loading.o: src/stats/loading.c src/stats/loading.h \
 src/stats/analysis.h src/stats/runs.h src/store/store.h src/util/err.h \
 src/stats/stats.h src/util/units.h
src/stats/loading.h:
src/stats/analysis.h:
src/stats/runs.h:
src/store/store.h:
src/util/err.h:
src/stats/stats.h:
src/util/units.h:
