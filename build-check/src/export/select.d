build-check/src/export/select.o: src/export/select.c src/export/export.h \
 src/stats/analysis.h src/stats/runs.h src/store/store.h src/util/err.h \
 src/stats/stats.h src/util/units.h
src/export/export.h:
src/stats/analysis.h:
src/stats/runs.h:
src/store/store.h:
src/util/err.h:
src/stats/stats.h:
src/util/units.h:
