build-check/src/ingest/common.o: src/ingest/common.c src/ingest/common.h \
 src/ingest/ingest.h src/ingest/reader.h src/util/err.h src/store/store.h \
 src/util/num.h src/util/units.h src/ingest/csv.h src/util/text.h
src/ingest/common.h:
src/ingest/ingest.h:
src/ingest/reader.h:
src/util/err.h:
src/store/store.h:
src/util/num.h:
src/util/units.h:
src/ingest/csv.h:
src/util/text.h:
