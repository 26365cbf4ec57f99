build-check/src/stats/leaderboard.o: src/stats/leaderboard.c \
 src/stats/leaderboard.h src/util/err.h src/ingest/csv.h \
 src/ingest/reader.h src/util/num.h
src/stats/leaderboard.h:
src/util/err.h:
src/ingest/csv.h:
src/ingest/reader.h:
src/util/num.h:
