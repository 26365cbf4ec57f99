build-check/src/export/formats.o: src/export/formats.c \
 src/export/export.h src/stats/analysis.h src/stats/runs.h \
 src/store/store.h src/util/err.h src/stats/stats.h src/util/units.h
src/export/export.h:
src/stats/analysis.h:
src/stats/runs.h:
src/store/store.h:
src/util/err.h:
src/stats/stats.h:
src/util/units.h:
