build-check/src/cli/latex.o: src/cli/latex.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/cli/report_args.h \
 src/stats/analysis.h src/stats/runs.h src/stats/stats.h src/util/units.h \
 src/report/latex.h src/util/atomic.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/cli/report_args.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/report/latex.h:
src/util/atomic.h:
