build-check/src/ingest/generic.o: src/ingest/generic.c \
 src/ingest/generic.h src/ingest/ingest.h src/ingest/reader.h \
 src/util/err.h src/store/store.h src/ingest/common.h src/util/num.h \
 src/util/units.h src/ingest/csv.h src/util/text.h
src/ingest/generic.h:
src/ingest/ingest.h:
src/ingest/reader.h:
src/util/err.h:
src/store/store.h:
src/ingest/common.h:
src/util/num.h:
src/util/units.h:
src/ingest/csv.h:
src/util/text.h:
