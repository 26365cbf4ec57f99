build-check/src/ingest/formats.o: src/ingest/formats.c \
 src/ingest/ingest.h src/ingest/reader.h src/util/err.h src/store/store.h
src/ingest/ingest.h:
src/ingest/reader.h:
src/util/err.h:
src/store/store.h:
