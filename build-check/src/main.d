build-check/src/main.o: src/main.c src/cli/cli.h src/store/store.h \
 src/util/err.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
