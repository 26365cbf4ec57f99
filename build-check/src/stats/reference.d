build-check/src/stats/reference.o: src/stats/reference.c \
 src/stats/reference.h src/util/err.h src/ingest/csv.h \
 src/ingest/reader.h src/util/num.h
src/stats/reference.h:
src/util/err.h:
src/ingest/csv.h:
src/ingest/reader.h:
src/util/num.h:
