build-check/src/report/basis.o: src/report/basis.c src/report/basis.h \
 src/store/store.h src/util/err.h
src/report/basis.h:
src/store/store.h:
src/util/err.h:
