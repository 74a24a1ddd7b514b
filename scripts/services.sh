#!/usr/bin/env bash
# The parts the service tests talk to, on a fresh Debian machine or an existing one:
# PostgreSQL and Redis (installed if missing, started if not running, on loopback),
# a `docintake` database role, and Debian's Chromium for the review-page tests.
# Idempotent; run by scripts/test.sh.
set -euo pipefail

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
APT_PACKAGES=(postgresql redis-server chromium fonts-noto-cjk)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "services: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  echo "services: nothing answers on 127.0.0.1:$1" >&2; return 1
}

# PostgreSQL: the Debian cluster, started without systemd (containers have none).
if ! port_open 5432; then
  version=$(ls /etc/postgresql | sort -V | tail -1)
  echo "services: starting PostgreSQL $version" >&2
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || $SUDO pg_ctlcluster "$version" main start >&2
  wait_port 5432
fi
# A role with a password works whatever pg_hba says (trust here, scram on a stock install).
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'docintake') THEN
    CREATE ROLE docintake LOGIN CREATEDB PASSWORD 'docintake';
  END IF;
END $$;
SQL

# Redis: keeps nothing on disk; tests use their own database number.
if ! port_open 6379; then
  echo "services: starting Redis" >&2
  mkdir -p /tmp/docintake-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/docintake-redis --logfile /tmp/docintake-redis/redis.log
  wait_port 6379
fi
