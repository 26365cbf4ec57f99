build-check/src/ingest/csv.o: src/ingest/csv.c src/ingest/csv.h \
 src/ingest/reader.h src/util/err.h src/util/text.h
src/ingest/csv.h:
src/ingest/reader.h:
src/util/err.h:
src/util/text.h:
