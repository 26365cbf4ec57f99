build-check/src/cli/report_args.o: src/cli/report_args.c \
 src/cli/report_args.h src/cli/cli.h src/store/store.h src/util/err.h \
 src/stats/analysis.h src/stats/runs.h src/stats/stats.h src/util/units.h \
 src/util/num.h
src/cli/report_args.h:
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/util/num.h:
