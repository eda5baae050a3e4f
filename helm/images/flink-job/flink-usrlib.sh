#!/usr/bin/env bash
# Lays out the wirelake job for the official Flink image, from an unpacked distribution:
#   DESTINATION/usrlib/wirelake-flink-job.jar   the jar with DissectionJobMain, under a fixed name
#                                               (the chart's jarURI: local:///opt/flink/usrlib/...)
#   DESTINATION/usrlib/*.jar                    its dependencies, less what the Flink image's lib/
#                                               already has (Flink's own jars, a second SLF4J binding)
#   DESTINATION/plugins/                        the distribution's Flink plugins (flink-s3-fs-hadoop)
# Application clusters load usrlib/ into the job's class loader.
#   flink-usrlib.sh WIRELAKE_HOME DESTINATION
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: flink-usrlib.sh WIRELAKE_HOME DESTINATION" >&2
    exit 2
fi
home="$1"
destination="$2"
entry_class='io/wirelake/dissect/job/DissectionJobMain.class'

# Jar entry names are stored uncompressed, so grep finds the class without unzip.
job_jars=()
while IFS= read -r jar; do
    job_jars+=("$jar")
done < <(grep -l --fixed-strings "$entry_class" "$home"/lib/*.jar || true)
if [[ ${#job_jars[@]} -ne 1 ]]; then
    echo "flink-usrlib: ${#job_jars[@]} jars in $home/lib hold $entry_class, expected one" >&2
    exit 1
fi

mkdir -p "$destination/usrlib" "$destination/plugins"
cp "${job_jars[0]}" "$destination/usrlib/wirelake-flink-job.jar"
for jar in "$home"/lib/*.jar; do
    name="$(basename "$jar")"
    if [[ "$jar" == "${job_jars[0]}" ]]; then
        continue
    fi
    case "$name" in
        # File formats Flink's distribution does not bundle: the job's own.
        flink-parquet-*.jar | flink-avro-*.jar) cp "$jar" "$destination/usrlib/" ;;
        # Flink's runtime, connectors and shaded libraries: the image's lib/ has them.
        flink-*.jar) ;;
        # Flink logs through Log4j; a second SLF4J binding would take over its logging.
        slf4j-simple-*.jar) ;;
        *) cp "$jar" "$destination/usrlib/" ;;
    esac
done
if [[ -d "$home/plugins" ]]; then
    cp -R "$home/plugins/." "$destination/plugins/"
fi
