build-check/gen/schema_sql.o: build-check/gen/schema_sql.c \
 src/store/migrations.h
src/store/migrations.h:
