build-check/src/cli/ingest.o: src/cli/ingest.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/ingest/generic.h \
 src/ingest/ingest.h src/ingest/reader.h src/ingest/label.h \
 src/util/text.h src/ingest/skeleton.h src/util/atomic.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/ingest/generic.h:
src/ingest/ingest.h:
src/ingest/reader.h:
src/ingest/label.h:
src/util/text.h:
src/ingest/skeleton.h:
src/util/atomic.h:
