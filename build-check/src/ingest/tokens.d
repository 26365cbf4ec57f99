build-check/src/ingest/tokens.o: src/ingest/tokens.c src/ingest/tokens.h \
 src/store/store.h src/util/err.h src/ingest/csv.h src/ingest/reader.h \
 src/util/num.h
src/ingest/tokens.h:
src/store/store.h:
src/util/err.h:
src/ingest/csv.h:
src/ingest/reader.h:
src/util/num.h:
