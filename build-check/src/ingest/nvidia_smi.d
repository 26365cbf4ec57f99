build-check/src/ingest/nvidia_smi.o: src/ingest/nvidia_smi.c \
 src/ingest/common.h src/ingest/ingest.h src/ingest/reader.h \
 src/util/err.h src/store/store.h src/util/num.h src/util/units.h \
 src/ingest/csv.h src/ingest/integrate.h src/util/text.h
src/ingest/common.h:
src/ingest/ingest.h:
src/ingest/reader.h:
src/util/err.h:
src/store/store.h:
src/util/num.h:
src/util/units.h:
src/ingest/csv.h:
src/ingest/integrate.h:
src/util/text.h:
