#!/usr/bin/env bash
# Installs (as root with apt-get) or clearly reports the system libraries sosvet needs:
# WeasyPrint's Pango and HarfBuzz subsetting, fonts covering č š ž ř ů æ ø å, gettext
# for compiled translations, and (for the browser tests and bench/) Debian's Chromium and wrk.
set -u

missing=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

have_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi 'DejaVuSans.ttf' || missing+=(fonts-dejavu-core)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ "${WITH_BROWSER:-1}" = "1" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # wrk: the load generator of bench/ (its smoke test skips without it).
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${missing[@]}" >/tmp/sosvet-apt.log 2>&1; then
    apt-get update -qq >>/tmp/sosvet-apt.log 2>&1
    apt-get install -y -qq "${missing[@]}" >>/tmp/sosvet-apt.log 2>&1 || {
      echo "Could not install ${missing[*]} (see /tmp/sosvet-apt.log)." >&2
      exit 1
    }
  fi
  exit 0
fi

echo "sosvet needs these Debian/Ubuntu packages, which are missing: ${missing[*]}" >&2
echo "Install them with: sudo apt-get install ${missing[*]}" >&2
case " ${missing[*]} " in
  *" chromium "*) echo "(chromium is only needed for the browser tests; they are skipped without it.)" >&2 ;;
esac
case " ${missing[*]} " in
  *" wrk "*) echo "(wrk is only needed for bench/ and its smoke test, which is skipped without it.)" >&2 ;;
esac
# Pango and gettext are required; chromium, poppler and HarfBuzz subsetting are optional.
for pkg in "${missing[@]}"; do
  case "$pkg" in libpango*|gettext|fonts-dejavu-core) exit 1 ;; esac
done
exit 0
