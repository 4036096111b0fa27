#!/bin/sh
# Install what Capacita needs and is missing: Debian packages (with sudo
# when not root) and the npm packages pinned in package-lock.json.
#
#   scripts/deps.sh run     to build and run the server
#   scripts/deps.sh test    also what `make test` needs (Chromium, clang)
#   scripts/deps.sh bench   also what `make bench` needs (wrk, nginx)
set -eu
cd "$(dirname "$0")/.."

profile=${1:-run}
pkgs="build-essential kore libsodium-dev libcmark-dev libjansson-dev
libqrencode-dev zlib1g-dev libpq-dev postgresql-15 postgresql-client-15
libhpdf-dev libpwquality-dev cracklib-runtime libcjose-dev libjwt-dev
libcurl4-openssl-dev util-linux curl ca-certificates"
case "$profile" in
test)	pkgs="$pkgs chromium clang libclang-rt-14-dev nginx-light openssl
	    python3-aiosmtpd wrk" ;;
bench)	pkgs="$pkgs chromium clang wrk nginx-light" ;;
esac
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	echo "deps: installing Debian packages:$missing"
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=""
	elif command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "deps: need root or sudo to install:$missing" >&2
		exit 1
	fi
	# policy-rc.d keeps Debian from starting the system-wide PostgreSQL
	# and nginx services: Capacita runs its own, under var/.
	$SUDO sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d &&
	    chmod 755 /usr/sbin/policy-rc.d'
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
	    echo "deps: apt-get update failed; trying the cached lists" >&2
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends $missing
fi

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
	echo "deps: Node.js $major found; Capacita's browser tests need" \
	    "Node.js 20 or later" >&2
	[ "$profile" = run ] || exit 1
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "deps: installing npm packages (package-lock.json)"
	npm ci --no-fund --no-audit --loglevel=error
fi
