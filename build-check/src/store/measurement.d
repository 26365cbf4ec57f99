build-check/src/store/measurement.o: src/store/measurement.c \
 src/store/backend.h src/store/store.h src/util/err.h
src/store/backend.h:
src/store/store.h:
src/util/err.h:
