build-check/src/util/num.o: src/util/num.c src/util/num.h
src/util/num.h:
