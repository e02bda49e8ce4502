#!/usr/bin/env bash
# A real PostgreSQL 15 streaming replica of the local cluster, on this machine (port 5433), for the router's
# tests and for trying the two-machine layout of docs/deploy.md. `scripts/replica.sh start|stop`
# (`make replica`, `make replica-stop`). Needs root (pg_createcluster) and the main cluster on 5432.
set -euo pipefail
VERSION=15
NAME=replica
PORT="${REPLICA_PORT:-5433}"
DATA="/var/lib/postgresql/$VERSION/$NAME"
HBA="$(pg_conftool -s "$VERSION" main show hba_file 2>/dev/null || echo /etc/postgresql/$VERSION/main/pg_hba.conf)"
MARK="# khuyencong replica (scripts/replica.sh)"

start() {
  if ! grep -qF "$MARK" "$HBA"; then
    printf '%s\nhost replication all 127.0.0.1/32 trust\n' "$MARK" >> "$HBA"
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" main reload
  fi
  if pg_lsclusters -h | awk '{print $2}' | grep -qx "$NAME"; then
    echo "Cụm $NAME đã có; chạy lại từ đầu: scripts/replica.sh stop trước."
  else
    pg_createcluster "$VERSION" "$NAME" -p "$PORT" >/dev/null
    rm -rf "$DATA"
    install -d -o postgres -g postgres -m 700 "$DATA"
    # A base backup of the whole primary, then streaming (-R writes primary_conninfo and standby.signal).
    su postgres -c "pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D $DATA -R -X stream -c fast"
    # The same client authentication as the primary (Debian keeps it beside the cluster's configuration).
    cp "$HBA" "/etc/postgresql/$VERSION/$NAME/pg_hba.conf"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start || true
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.5; done
  in_recovery="$(psql -h 127.0.0.1 -p "$PORT" -U postgres -Atc 'select pg_is_in_recovery()')"
  [ "$in_recovery" = t ] || { echo "Cụm trên cổng $PORT không phải bản sao."; exit 1; }
  echo "Bản sao đang chạy: postgres://postgres@127.0.0.1:$PORT/ (chỉ đọc, nhận WAL từ cổng 5432)."
}

stop() {
  if pg_lsclusters -h | awk '{print $2}' | grep -qx "$NAME"; then
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" stop -m fast 2>/dev/null || true
    pg_dropcluster "$VERSION" "$NAME"
  fi
  if grep -qF "$MARK" "$HBA"; then
    sed -i "\\|^$MARK\$|,+1d" "$HBA"  # the mark holds a slash: another delimiter
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" main reload
  fi
  echo "Đã xóa bản sao."
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "Dùng: $0 start|stop"; exit 2 ;;
esac
