build-check/src/cli/common.o: src/cli/common.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/util/path.h src/util/text.h \
 src/stats/analysis.h src/stats/runs.h src/stats/stats.h src/util/units.h \
 src/stats/filter.h src/util/atomic.h src/util/num.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/util/path.h:
src/util/text.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/stats/filter.h:
src/util/atomic.h:
src/util/num.h:
