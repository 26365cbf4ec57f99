build-check/src/ingest/optimum_benchmark.o: \
 src/ingest/optimum_benchmark.c src/ingest/common.h src/ingest/ingest.h \
 src/ingest/reader.h src/util/err.h src/store/store.h src/util/num.h \
 src/util/units.h
src/ingest/common.h:
src/ingest/ingest.h:
src/ingest/reader.h:
src/util/err.h:
src/store/store.h:
src/util/num.h:
src/util/units.h:
