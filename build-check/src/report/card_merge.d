build-check/src/report/card_merge.o: src/report/card_merge.c \
 src/report/card_merge.h src/util/err.h
src/report/card_merge.h:
src/util/err.h:
