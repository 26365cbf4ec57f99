build-check/src/store/pg_copy.o: src/store/pg_copy.c src/store/pg_int.h \
 /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h src/store/backend.h \
 src/store/store.h src/util/err.h src/util/units.h
src/store/pg_int.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
src/store/backend.h:
src/store/store.h:
src/util/err.h:
src/util/units.h:
