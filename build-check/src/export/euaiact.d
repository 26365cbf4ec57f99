build-check/src/export/euaiact.o: src/export/euaiact.c \
 src/export/export.h src/stats/analysis.h src/stats/runs.h \
 src/store/store.h src/util/err.h src/stats/stats.h src/util/units.h \
 src/export/json.h src/util/text.h
src/export/export.h:
src/stats/analysis.h:
src/stats/runs.h:
src/store/store.h:
src/util/err.h:
src/stats/stats.h:
src/util/units.h:
src/export/json.h:
src/util/text.h:
