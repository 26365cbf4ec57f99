build-check/src/ingest/codecarbon.o: src/ingest/codecarbon.c \
 src/ingest/codecarbon_short.h src/ingest/common.h src/ingest/ingest.h \
 src/ingest/reader.h src/util/err.h src/store/store.h src/util/num.h \
 src/util/units.h src/ingest/csv.h src/ingest/flushes.h src/util/text.h \
 src/util/time.h
src/ingest/codecarbon_short.h:
src/ingest/common.h:
src/ingest/ingest.h:
src/ingest/reader.h:
src/util/err.h:
src/store/store.h:
src/util/num.h:
src/util/units.h:
src/ingest/csv.h:
src/ingest/flushes.h:
src/util/text.h:
src/util/time.h:
