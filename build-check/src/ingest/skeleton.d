build-check/src/ingest/skeleton.o: src/ingest/skeleton.c \
 src/ingest/skeleton.h src/store/store.h src/util/err.h
src/ingest/skeleton.h:
src/store/store.h:
src/util/err.h:
