build-check/src/cli/xlsx.o: src/cli/xlsx.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/cli/report_args.h \
 src/stats/analysis.h src/stats/runs.h src/stats/stats.h src/util/units.h \
 src/report/xlsx.h src/report/provenance.h src/stats/experiments.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/cli/report_args.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/report/xlsx.h:
src/report/provenance.h:
src/stats/experiments.h:
