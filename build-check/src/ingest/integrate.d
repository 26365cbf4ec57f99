build-check/src/ingest/integrate.o: src/ingest/integrate.c \
 src/ingest/integrate.h src/util/err.h
src/ingest/integrate.h:
src/util/err.h:
