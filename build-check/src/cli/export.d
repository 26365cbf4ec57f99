build-check/src/cli/export.o: src/cli/export.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/cli/report_args.h \
 src/stats/analysis.h src/stats/runs.h src/stats/stats.h src/util/units.h \
 src/cli/table.h src/export/export.h src/util/atomic.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/cli/report_args.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/cli/table.h:
src/export/export.h:
src/util/atomic.h:
