build-check/src/util/err.o: src/util/err.c src/util/err.h src/util/text.h
src/util/err.h:
src/util/text.h:
