build-check/src/ingest/carbontracker.o: src/ingest/carbontracker.c \
 src/ingest/common.h src/ingest/ingest.h src/ingest/reader.h \
 src/util/err.h src/store/store.h src/util/num.h src/util/units.h \
 src/util/text.h
src/ingest/common.h:
src/ingest/ingest.h:
src/ingest/reader.h:
src/util/err.h:
src/store/store.h:
src/util/num.h:
src/util/units.h:
src/util/text.h:
