build-check/src/ingest/reader.o: src/ingest/reader.c src/ingest/reader.h \
 src/util/err.h src/util/sha256.h
src/ingest/reader.h:
src/util/err.h:
src/util/sha256.h:
