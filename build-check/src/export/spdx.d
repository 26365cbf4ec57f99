build-check/src/export/spdx.o: src/export/spdx.c src/export/export.h \
 src/stats/analysis.h src/stats/runs.h src/store/store.h src/util/err.h \
 src/stats/stats.h src/util/units.h src/export/json.h src/util/sha256.h \
 src/util/text.h
src/export/export.h:
src/stats/analysis.h:
src/stats/runs.h:
src/store/store.h:
src/util/err.h:
src/stats/stats.h:
src/util/units.h:
src/export/json.h:
src/util/sha256.h:
src/util/text.h:
