build-check/src/stats/analysis.o: src/stats/analysis.c \
 src/stats/analysis.h src/stats/runs.h src/store/store.h src/util/err.h \
 src/stats/stats.h src/util/units.h src/stats/internal.h
src/stats/analysis.h:
src/stats/runs.h:
src/store/store.h:
src/util/err.h:
src/stats/stats.h:
src/util/units.h:
src/stats/internal.h:
