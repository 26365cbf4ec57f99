build-check/src/ingest/flushes.o: src/ingest/flushes.c \
 src/ingest/flushes.h src/ingest/ingest.h src/ingest/reader.h \
 src/util/err.h src/store/store.h src/ingest/common.h src/util/num.h \
 src/util/units.h
src/ingest/flushes.h:
src/ingest/ingest.h:
src/ingest/reader.h:
src/util/err.h:
src/store/store.h:
src/ingest/common.h:
src/util/num.h:
src/util/units.h:
