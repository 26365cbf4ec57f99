build-check/src/cli/table.o: src/cli/table.c src/cli/table.h \
 src/cli/cli.h src/store/store.h src/util/err.h src/util/text.h
src/cli/table.h:
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/util/text.h:
