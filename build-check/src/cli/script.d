build-check/src/cli/script.o: src/cli/script.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/stats/analysis.h src/stats/runs.h \
 src/stats/stats.h src/util/units.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
