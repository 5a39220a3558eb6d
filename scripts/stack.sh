#!/usr/bin/env bash
# Run a command beside private PostgreSQL and Redis instances (and, with --s3, a
# local S3 server), then stop them and remove every trace, even on failure.
#
#   scripts/stack.sh [--s3] -- COMMAND [ARGS...]
#
# The instances listen on free loopback ports, keep their data in one temporary
# folder, and are not system services. The command sees DATABASE_URL and
# REDIS_URL (and S3_ENDPOINT_URL with the AWS_* variables under --s3).
# Debian's postgresql and redis-server are installed when missing, and nginx,
# which the load test starts as its load balancer (tests/load/).
set -euo pipefail

with_s3=false
while [ $# -gt 0 ]; do
	case "$1" in
	--s3) with_s3=true; shift ;;
	--) shift; break ;;
	*) echo "usage: $0 [--s3] -- COMMAND [ARGS...]" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--s3] -- COMMAND [ARGS...]" >&2; exit 2; }

root_dir="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root_dir/.venv/bin/python}"
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

install_missing() {
	local missing=""
	for pkg in "$@"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
	done
	if [ -n "$missing" ]; then
		echo "==> Installing Debian packages:$missing"
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
	fi
}

free_port() {
	"$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() {  # port, name, seconds
	local tries=$(( $3 * 10 ))
	until "$python" -c "import socket, sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null; do
		tries=$(( tries - 1 ))
		[ "$tries" -gt 0 ] || { echo "$2 did not start on port $1" >&2; return 1; }
		sleep 0.1
	done
}

install_missing postgresql redis-server nginx
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

# initdb refuses to run as root: as root, PostgreSQL runs as Debian's postgres user.
as_pg=()
if [ "$(id -u)" = 0 ]; then
	as_pg=(runuser -u postgres --)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/circles-stack.XXXXXX")"
chmod 700 "$work"
[ "$(id -u)" = 0 ] && chown postgres: "$work"
redis_pid=""
s3_pid=""

stop_all() {
	local status=$?
	set +e
	if [ -f "$work/pg/postmaster.pid" ]; then
		"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
	fi
	[ -z "$redis_pid" ] || { kill "$redis_pid"; wait "$redis_pid"; } 2>/dev/null
	[ -z "$s3_pid" ] || { kill "$s3_pid"; wait "$s3_pid"; } 2>/dev/null
	rm -rf "$work"
	exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

password="$("$python" -c 'import secrets; print(secrets.token_hex(16))')"
printf '%s\n' "$password" >"$work/pgpass"
[ "$(id -u)" = 0 ] && chown postgres: "$work/pgpass"

pg_port="$(free_port)"
echo "==> PostgreSQL ($pg_bin) on 127.0.0.1:$pg_port"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U circles --pwfile="$work/pgpass" \
	--auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" \
	|| { cat "$work/initdb.log" >&2; exit 1; }
# A throwaway instance: durability settings off, as the data lives only for this run.
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/postgres.log" -w -t 60 \
	-o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work" \
	-o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
	-o "-c max_connections=200" start >/dev/null \
	|| { cat "$work/postgres.log" >&2; exit 1; }
PGPASSWORD="$password" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U circles circles

redis_port="$(free_port)"
echo "==> Redis on 127.0.0.1:$redis_port"
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" \
	--appendonly no --logfile "$work/redis.log" &
redis_pid=$!
wait_for_port "$redis_port" Redis 20

export DATABASE_URL="postgres://circles:$password@127.0.0.1:$pg_port/circles"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
export STACK_PG_BIN="$pg_bin"

if $with_s3; then
	s3_port="$(free_port)"
	echo "==> S3 (moto) on 127.0.0.1:$s3_port"
	"$root_dir/.venv/bin/moto_server" -H 127.0.0.1 -p "$s3_port" >"$work/s3.log" 2>&1 &
	s3_pid=$!
	wait_for_port "$s3_port" "The S3 server" 30
	export S3_ENDPOINT_URL="http://127.0.0.1:$s3_port"
	export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
	export AWS_DEFAULT_REGION=us-east-1
fi

echo "==> $*"
"$@"
