build-check/src/cli/list.o: src/cli/list.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/cli/table.h src/export/export.h \
 src/stats/analysis.h src/stats/runs.h src/stats/stats.h src/util/units.h \
 src/ingest/ingest.h src/ingest/reader.h src/stats/filter.h \
 src/stats/totals.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/cli/table.h:
src/export/export.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/ingest/ingest.h:
src/ingest/reader.h:
src/stats/filter.h:
src/stats/totals.h:
