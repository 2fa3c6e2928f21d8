#!/usr/bin/env bash
# Makes `import cms_tfaot` work for Debian's python3 and for the python3 on PATH: a .pth file
# naming the module's installed directory in each interpreter's site directory (the system
# one when it is writable, else the user's).
#   install_python_path.sh PREFIX
set -euo pipefail
PREFIX="$(cd "$1" && pwd)"
SITE="$PREFIX/lib/tfaot/py3-cms-tfaot/1.0.1-tfaot/lib/python3/site-packages"
[[ -d $SITE/cms_tfaot ]] || { echo "install_python_path.sh: $SITE/cms_tfaot not found" >&2; exit 1; }
declare -A done_dirs=()
for py in /usr/bin/python3 "$(command -v python3 || true)"; do
  [[ -x $py ]] || continue
  dir=$("$py" - <<'PY'
import os, site
dirs = [d for d in site.getsitepackages() if d.startswith("/usr/local") or "/usr/" not in d]
for d in dirs:
    if os.access(d, os.W_OK) or (not os.path.exists(d) and os.access(os.path.dirname(d), os.W_OK)):
        print(d)
        break
else:
    print(site.getusersitepackages())
PY
)
  [[ -n ${done_dirs[$dir]:-} ]] && continue
  done_dirs[$dir]=1
  mkdir -p "$dir"
  echo "$SITE" >"$dir/tfaot-cms-tfaot.pth"
  echo "tfaot: $py imports cms_tfaot from $SITE (via $dir/tfaot-cms-tfaot.pth)"
done
