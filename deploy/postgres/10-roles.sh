#!/bin/sh
# Run by the postgres image once, when its data volume is new (mounted as
# /docker-entrypoint-initdb.d). Makes the migration role, the runtime role and the database.
set -eu
here=/docker-entrypoint-initdb.d
psql --username "$POSTGRES_USER" --dbname postgres \
  -v owner=partnership_owner -v owner_password="$DB_OWNER_PASSWORD" \
  -v runtime_role=partnership_app -v runtime_password="$DB_APP_PASSWORD" \
  -v database=partnership -f "$here/roles.psql"
psql --username "$POSTGRES_USER" --dbname partnership \
  -v owner=partnership_owner -v runtime_role=partnership_app -v database=partnership \
  -f "$here/grants.psql"
