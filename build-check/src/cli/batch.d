build-check/src/cli/batch.o: src/cli/batch.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/report/spec.h src/stats/analysis.h \
 src/stats/runs.h src/stats/stats.h src/util/units.h src/util/atomic.h \
 src/util/path.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/report/spec.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/util/atomic.h:
src/util/path.h:
