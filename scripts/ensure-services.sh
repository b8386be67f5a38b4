#!/usr/bin/env bash
# Start MariaDB and Redis on 127.0.0.1 when they are not already answering (CI's machine runs
# them; a bare Debian machine gets them from apt first). Idempotent; prints what it did.
set -euo pipefail
[ "${ZAS_SKIP_SERVICES:-}" = 1 ] && exit 0  # CI service containers are already up

wait_for() {  # wait_for NAME CMD...
  local name=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "ensure-services: $name did not come up" >&2; return 1
}

if ! mariadb-admin --protocol=tcp -h127.0.0.1 -uroot ping >/dev/null 2>&1 \
   && ! mysqladmin --protocol=tcp -h127.0.0.1 -uroot ping >/dev/null 2>&1; then
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
  fi
  echo "ensure-services: starting MariaDB"
  if [ ! -d /var/lib/mysql/mysql ]; then mariadb-install-db --user=mysql >/dev/null; fi
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  wait_for MariaDB mariadb-admin -uroot ping
fi
# Debian's root uses unix_socket auth; the tests connect over TCP, so give them a password-less
# TCP login when root has none (CI's machine already allows root over TCP).
if ! mariadb --protocol=tcp -h127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  mariadb -uroot -e "CREATE USER IF NOT EXISTS 'zas_test'@'127.0.0.1'; GRANT ALL ON *.* TO 'zas_test'@'127.0.0.1' WITH GRANT OPTION;"
  echo "ensure-services: created MariaDB user zas_test@127.0.0.1 (use ZAS_TEST_MARIADB_URL=mysql+pymysql://zas_test@127.0.0.1:3306)"
fi

if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  if ! command -v redis-server >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  echo "ensure-services: starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/zas.log
  wait_for Redis redis-cli -h 127.0.0.1 ping
fi
