build-check/src/stats/memo.o: src/stats/memo.c src/stats/analysis.h \
 src/stats/runs.h src/store/store.h src/util/err.h src/stats/stats.h \
 src/util/units.h
src/stats/analysis.h:
src/stats/runs.h:
src/store/store.h:
src/util/err.h:
src/stats/stats.h:
src/util/units.h:
