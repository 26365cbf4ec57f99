build-check/src/stats/filter.o: src/stats/filter.c src/stats/filter.h \
 src/store/store.h src/util/err.h src/util/text.h
src/stats/filter.h:
src/store/store.h:
src/util/err.h:
src/util/text.h:
