build-check/src/util/path.o: src/util/path.c src/util/path.h \
 src/util/err.h
src/util/path.h:
src/util/err.h:
