#!/usr/bin/env bash
# Unpacks the wirelake distribution (dist's wirelake-<version>.tar.gz: bin/wirelake, lib/,
# plugins/) into DESTINATION, whatever the name of the tarball's top folder. Both images run it
# in their first build stage, so what they carry is the distribution that was tested.
#   unpack-distribution.sh TARBALL DESTINATION
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: unpack-distribution.sh TARBALL DESTINATION" >&2
    exit 2
fi
tarball="$1"
destination="$2"
if [[ ! -f "$tarball" ]]; then
    echo "unpack-distribution: no distribution at $tarball (build it with ./mvnw -DskipTests package)" >&2
    exit 1
fi
if [[ -e "$destination" ]]; then
    echo "unpack-distribution: $destination exists already" >&2
    exit 1
fi

unpacked="$(mktemp -d)"
tar -xzf "$tarball" -C "$unpacked"
launchers=()
while IFS= read -r -d '' launcher; do
    launchers+=("$launcher")
done < <(find "$unpacked" -path '*/bin/wirelake' -type f -print0)
if [[ ${#launchers[@]} -ne 1 ]]; then
    echo "unpack-distribution: $tarball holds ${#launchers[@]} bin/wirelake, expected one" >&2
    exit 1
fi
home="$(dirname "$(dirname "${launchers[0]}")")"
if [[ ! -d "$home/lib" ]]; then
    echo "unpack-distribution: $tarball has no lib/ beside bin/wirelake" >&2
    exit 1
fi
chmod 0755 "$home/bin/wirelake"
mkdir -p "$(dirname "$destination")"
mv "$home" "$destination"
rm -rf "$unpacked"
