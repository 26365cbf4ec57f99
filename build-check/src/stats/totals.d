build-check/src/stats/totals.o: src/stats/totals.c src/stats/totals.h \
 src/store/store.h src/util/err.h src/stats/runs.h
src/stats/totals.h:
src/store/store.h:
src/util/err.h:
src/stats/runs.h:
