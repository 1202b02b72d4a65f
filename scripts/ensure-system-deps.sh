#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing; a no-op (well under a
# second) when they are all present. Installing needs root; anyone else is told what to install.
#   chromium          the browser the Playwright tests drive (/usr/bin/chromium; Playwright's own
#                     browser download cannot work on these machines)
#   fonts-liberation  real fonts, so pages render as a person would see them in screenshots
#   fonts-dejavu-core DejaVu Sans, the PDF report's font (it has Arabic; reportlab's own fonts do not)
#   poppler-utils     pdftoppm, which renders the analytics PDF report to PNG pages to look at
#   postgresql-client pg_dump/pg_restore for the backup tests, only when DATABASE_URL is PostgreSQL;
#                     the major version of the local server when one is installed (pg_dump refuses
#                     a newer server than itself)
set -euo pipefail

packages=(chromium fonts-liberation fonts-dejavu-core poppler-utils)
if [[ ${DATABASE_URL:-} == postgres* ]]; then
  server_major=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
  packages+=("postgresql-client${server_major:+-$server_major}")
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "ensure-system-deps: not a Debian system; install these yourself: ${packages[*]}" >&2
  echo "(or run 'make test SKIP_SYSTEM_DEPS=1' to skip this check)" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done
if [[ ! -x /usr/bin/chromium ]] && [[ ! " ${missing[*]} " =~ " chromium " ]]; then
  missing+=(chromium)
fi

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "ensure-system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "ensure-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
