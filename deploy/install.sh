#!/bin/sh
# Install or upgrade Hall from an unpacked release (hall-<version>-linux-x64/).
#
#   sudo ./deploy/install.sh            the server: /opt/hall/<release>, /opt/hall/current,
#                                       user "hall" (dialout, lp, plugdev), the systemd unit,
#                                       udev rules, /etc/hall/hall.env, /usr/local/bin/hall-server,
#                                       then enable and (re)start hall-server. An upgrade backs
#                                       /var/lib/hall up to /var/backups/hall first.
#   ./deploy/install.sh --kiosk URL     as the kiosk PC's desktop user (not root): Chromium in
#                                       kiosk mode at URL at every login, restarted if it dies.
#
# DESTDIR=/some/dir writes every file under that folder instead and runs no useradd, systemctl
# or udevadm (to look at what would be installed, and for tests).
set -eu
release=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
name=$(basename "$release")
D=${DESTDIR:-}
say() { printf '%s\n' "$*"; }

if [ "${1:-}" = "--kiosk" ]; then
  url=${2:?usage: install.sh --kiosk URL}
  cfg=${XDG_CONFIG_HOME:-$HOME/.config}
  mkdir -p "$D$cfg/systemd/user" "$D$cfg/autostart"
  printf 'HALL_KIOSK_URL=%s\n' "$url" > "$D$cfg/hall-kiosk.env"
  if [ -z "$D" ] && systemctl --user show-environment >/dev/null 2>&1; then
    cp "$release/deploy/hall-kiosk.service" "$cfg/systemd/user/hall-kiosk.service"
    systemctl --user daemon-reload
    systemctl --user enable --now hall-kiosk.service
    say "kiosk: systemd user unit hall-kiosk enabled (journalctl --user -u hall-kiosk)"
  else
    cp "$release/deploy/hall-kiosk.service" "$D$cfg/systemd/user/hall-kiosk.service"
    cp "$release/deploy/hall-kiosk.desktop" "$D$cfg/autostart/hall-kiosk.desktop"
    say "kiosk: autostart entry written ($cfg/autostart/hall-kiosk.desktop); it starts at the next login"
  fi
  exit 0
fi

if [ -z "$D" ] && [ "$(id -u)" != 0 ]; then
  say "install.sh: 请用 root 运行（sudo ./deploy/install.sh）/ run as root: sudo ./deploy/install.sh" >&2
  exit 77
fi

target=/opt/hall/$name
mkdir -p "$D/opt/hall"
if [ "$(readlink -f "$release")" != "$(readlink -f "$D$target" 2>/dev/null || true)" ]; then
  if [ -e "$D$target" ]; then
    say "install.sh: $target already exists; not overwritten" >&2
  else
    cp -a "$release" "$D$target"
  fi
fi
if [ -z "$D" ]; then
  getent group plugdev >/dev/null || groupadd --system plugdev
  getent passwd hall >/dev/null || useradd --system --home-dir /var/lib/hall --no-create-home --shell /usr/sbin/nologin hall
  usermod -aG dialout,lp,plugdev hall
fi
# Nightly backups (HALL_BACKUP_DIR in the unit).
mkdir -p "$D/var/backups/hall"
[ -n "$D" ] || { chown hall:hall /var/backups/hall; chmod 700 /var/backups/hall; }

# Upgrade: back the hall up with the new release before it is switched to.
if [ -z "$D" ] && [ -d /var/lib/hall/journal ]; then
  backup=/var/backups/hall/before-$name-$(date +%Y%m%d-%H%M%S).tar.gz
  say "backing up /var/lib/hall to $backup"
  su -s /bin/sh hall -c "HALL_DATA_DIR=/var/lib/hall '$target/hall-server' backup '$backup'"
fi
ln -sfn "$target" "$D/opt/hall/current.new"
mv -T "$D/opt/hall/current.new" "$D/opt/hall/current"


mkdir -p "$D/etc/systemd/system" "$D/etc/udev/rules.d" "$D/etc/hall" "$D/usr/local/bin"
cp "$release/deploy/hall-server.service" "$D/etc/systemd/system/hall-server.service"
rules=$release/deploy/70-hall-devices.rules
[ -f "$rules" ] || rules=$release/docs/70-hall-devices.rules
cp "$rules" "$D/etc/udev/rules.d/70-hall-devices.rules"
if [ ! -e "$D/etc/hall/hall.env" ]; then
  cat > "$D/etc/hall/hall.env" <<'ENV'
# Settings of the hall server (systemctl restart hall-server after a change).
#PORT=8080
#HALL_PUBLIC_URL=http://192.168.1.10:8080
#HALL_TZ=Asia/Shanghai
#HALL_LOG_LEVEL=info
# HTTPS instead of plain HTTP: a PEM certificate and its unencrypted key, readable by the hall
# user (e.g. /etc/hall/tls/, chgrp hall, chmod 640). hall-server doctor warns 30 days before
# the certificate expires. With HTTPS, HALL_PUBLIC_URL starts with https:// and names a host
# the certificate has.
#HALL_TLS_CERT=/etc/hall/tls/hall.crt
#HALL_TLS_KEY=/etc/hall/tls/hall.key
ENV
fi
cat > "$D/usr/local/bin/hall-server" <<'WRAP'
#!/bin/sh
# The installed hall's CLI: the data folder of the service unless HALL_DATA_DIR says otherwise.
# Run it as the service's user so files keep their owner: sudo -u hall hall-server backup FILE
if [ -r /etc/hall/hall.env ]; then set -a; . /etc/hall/hall.env; set +a; fi
export HALL_DATA_DIR="${HALL_DATA_DIR:-/var/lib/hall}"
exec /opt/hall/current/hall-server "$@"
WRAP
chmod 755 "$D/usr/local/bin/hall-server"

if [ -z "$D" ]; then
  udevadm control --reload-rules 2>/dev/null && udevadm trigger 2>/dev/null || true
  systemctl daemon-reload
  systemctl enable hall-server.service
  systemctl restart hall-server.service
  say "hall-server installed: systemctl status hall-server; journalctl -u hall-server -f"
else
  say "files written under $D"
fi
