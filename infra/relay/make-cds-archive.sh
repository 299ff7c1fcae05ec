#!/usr/bin/env bash
# Makes the relay's class-data sharing archive (app-cds.jsa) in the directory of quarkus-run.jar: the
# JVM that will run the relay starts it once, with no store and no credentials, waits until it serves,
# and stops it; on the way out the JVM writes every class that start loaded into the archive. Used by
# the image (infra/relay/Dockerfile) and by the benchmarks (bench/relay-cds). The archive only works
# with the same JVM, started from that directory with `-jar quarkus-run.jar`.
#   infra/relay/make-cds-archive.sh relay-service/target/quarkus-app
set -euo pipefail
cd "$1"
port=${CDS_PORT:-18099}
rm -f app-cds.jsa
# a region and a store that is not there: the start's warm-up reads the store once, fails fast, carries on
AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=archive AWS_SECRET_ACCESS_KEY=archive DYNAMODB_ENDPOINT=http://127.0.0.1:9 \
  java -XX:ArchiveClassesAtExit=app-cds.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN -jar quarkus-run.jar > app-cds.log 2>&1 &
pid=$!
up=""
for _ in $(seq 1 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /health HTTP/1.0\r\n\r\n' >&3 && head -1 <&3 | grep -q ' 200') 2>/dev/null; then
    up=yes
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
if [ -z "$up" ] || [ ! -s app-cds.jsa ]; then
  echo "the relay did not start, so no class-data archive was made:" >&2
  cat app-cds.log >&2
  exit 1
fi
rm -f app-cds.log
echo "relay class-data archive: $(du -h app-cds.jsa | cut -f1)"
