build-check/src/util/lsan.o: src/util/lsan.c
