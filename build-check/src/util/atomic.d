build-check/src/util/atomic.o: src/util/atomic.c src/util/atomic.h \
 src/util/err.h src/util/path.h
src/util/atomic.h:
src/util/err.h:
src/util/path.h:
