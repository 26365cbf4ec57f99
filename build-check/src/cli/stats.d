build-check/src/cli/stats.o: src/cli/stats.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/cli/table.h src/report/provenance.h \
 src/util/text.h src/stats/analysis.h src/stats/runs.h src/stats/stats.h \
 src/util/units.h src/stats/experiments.h src/stats/filter.h \
 src/stats/reference.h src/util/num.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/cli/table.h:
src/report/provenance.h:
src/util/text.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/stats/experiments.h:
src/stats/filter.h:
src/stats/reference.h:
src/util/num.h:
