build-check/src/ingest/basis.o: src/ingest/basis.c src/ingest/basis.h \
 src/store/store.h src/util/err.h
src/ingest/basis.h:
src/store/store.h:
src/util/err.h:
