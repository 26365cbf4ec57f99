build-check/src/ingest/codecarbon_short.o: src/ingest/codecarbon_short.c \
 src/ingest/codecarbon_short.h src/util/num.h
src/ingest/codecarbon_short.h:
src/util/num.h:
