#!/usr/bin/env bash
# Karaf smoke test of the flux-kontext component, end to end in a real Apache Karaf:
#   Karaf 4.4.x (downloaded with Maven into target/), camel-karaf 4.14.x features, this project's features
#   repository (feature:repo-add + feature:install camel-flux-kontext, unchanged), a route bundle dropped
#   into deploy/ that calls flux-kontext:text-to-image against the fal simulator (standalone jar, free port)
#   and writes the image to a folder, and a check that the image decodes.
#
# Run after installing the component, the simulator and this module into the local Maven repository:
#   mvn -q install -DskipTests        (at least: -pl camel-flux-kontext-simulator,camel-flux-kontext,camel-flux-kontext-karaf -am)
#   camel-flux-kontext-karaf/src/test/karaf/smoke.sh
#
# camel-karaf: if its re-packaged Camel bundles (mvn:org.apache.camel.karaf/camel-api/...) cannot be
# resolved (the Central mirror of this project's machines has camel-karaf's features XML and camel-core-osgi,
# but not those bundles), camel-karaf's `camel-core`/`camel-jackson` features are stood in for by
# smoke-camel-features.xml: camel-karaf's own camel-core-osgi + the plain Camel jars of the same release,
# wrapped. Force a mode with KARAF_SMOKE_CAMEL=camel-karaf|stand-in.
#
# Karaf resolves mvn: URLs from the local Maven repository first, then from Maven Central. Environment
# overrides: KARAF_VERSION, CAMEL_KARAF_VERSION, MAVEN_REPO_LOCAL, MAVEN_CENTRAL_URL, KARAF_SMOKE_DIR, MVN,
# SMOKE_WAIT_SECONDS (the wait for the image, default 120). Exits non-zero, with the tail of the Karaf
# log, when anything fails. Stops what it started, by PID.
set -euo pipefail

START=$SECONDS
HERE=$(cd "$(dirname "$0")" && pwd)
MODULE=$(cd "$HERE/../../.." && pwd)
ROOT=$(cd "$MODULE/.." && pwd)
WORK=${KARAF_SMOKE_DIR:-$MODULE/target/karaf-smoke}
MVN=${MVN:-mvn}
CENTRAL=${MAVEN_CENTRAL_URL:-https://repo.maven.apache.org/maven2}
WAIT=${SMOKE_WAIT_SECONDS:-120}

log() { printf '[karaf-smoke %3ds] %s\n' "$((SECONDS - START))" "$*"; }

# versions come from the poms: one source of truth
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -1; }
PROJECT_VERSION=$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' "$MODULE/pom.xml" | head -1)
KARAF_VERSION=${KARAF_VERSION:-$(pom_property 'karaf\.version')}
CAMEL_KARAF_VERSION=${CAMEL_KARAF_VERSION:-$(pom_property 'camel-karaf\.version')}
# plain Camel jars, for the route bundle's compilation and the stand-in features (see smoke-camel-features.xml)
CAMEL_VERSION=${SMOKE_CAMEL_VERSION:-4.14.0}
[ -n "$PROJECT_VERSION" ] && [ -n "$KARAF_VERSION" ] && [ -n "$CAMEL_KARAF_VERSION" ] \
    || { echo "cannot read the versions from the poms" >&2; exit 2; }

mkdir -p "$WORK"
cd "$WORK"   # no pom here: the Maven calls below need no project

# Maven: offline first (fast, no network when everything is cached), online otherwise; output without colours
mvn_q() {
    local out
    # $MVN unquoted on purpose: it may carry options (MVN="mvn -s my-settings.xml")
    out=$($MVN -q -B -o -Dstyle.color=never "$@" 2>&1) || out=$($MVN -q -B -Dstyle.color=never "$@" 2>&1) \
        || { printf '%s\n' "$out" >&2; return 1; }
    printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g'
}

if [ -z "${MAVEN_REPO_LOCAL:-}" ]; then
    MAVEN_REPO_LOCAL=$(mvn_q org.apache.maven.plugins:maven-help-plugin:3.5.1:evaluate \
        -Dexpression=settings.localRepository -DforceStdout | grep '^/' | tail -1 || true)
fi
M2_REPO=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
[ -d "$M2_REPO" ] || { echo "no local Maven repository at $M2_REPO (set MAVEN_REPO_LOCAL)" >&2; exit 2; }

# m2_jar group artifact version: the jar's path in the local repository, fetched with Maven if missing
m2_jar() {
    local path="$M2_REPO/${1//.//}/$2/$3/$2-$3.jar"
    [ -f "$path" ] || mvn_q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get -Dtransitive=false -Dartifact="$1:$2:$3" >/dev/null
    [ -f "$path" ] && echo "$path"
}

GROUP_PATH="$M2_REPO/io/github/fluxkontext"
FEATURES_XML="$GROUP_PATH/camel-flux-kontext-karaf/$PROJECT_VERSION/camel-flux-kontext-karaf-$PROJECT_VERSION-features.xml"
BUNDLE_JAR="$GROUP_PATH/camel-flux-kontext/$PROJECT_VERSION/camel-flux-kontext-$PROJECT_VERSION.jar"
SIM_JAR="$GROUP_PATH/camel-flux-kontext-simulator/$PROJECT_VERSION/camel-flux-kontext-simulator-$PROJECT_VERSION-standalone.jar"
[ -f "$SIM_JAR" ] || SIM_JAR="$ROOT/camel-flux-kontext-simulator/target/camel-flux-kontext-simulator-$PROJECT_VERSION-standalone.jar"
for f in "$FEATURES_XML" "$BUNDLE_JAR" "$SIM_JAR"; do
    [ -f "$f" ] || { echo "missing $f: run 'mvn install -DskipTests' for the component, the simulator and camel-flux-kontext-karaf first" >&2; exit 2; }
done

CAMEL_MODE=${KARAF_SMOKE_CAMEL:-}
if [ -z "$CAMEL_MODE" ]; then
    if m2_jar org.apache.camel.karaf camel-api "$CAMEL_KARAF_VERSION" >/dev/null 2>&1; then CAMEL_MODE=camel-karaf; else CAMEL_MODE=stand-in; fi
fi
log "project $PROJECT_VERSION, Karaf $KARAF_VERSION, camel-karaf $CAMEL_KARAF_VERSION ($CAMEL_MODE), local repository $M2_REPO"
[ "$CAMEL_MODE" = camel-karaf ] || log "camel-karaf's Camel bundles are not resolvable here: its features repository is stood in for by smoke-camel-features.xml (camel-core-osgi $CAMEL_KARAF_VERSION + wrapped Camel $CAMEL_VERSION jars)"

# ---- Karaf, fresh (a clean instance every run)
TARBALL="apache-karaf-$KARAF_VERSION.tar.gz"
[ -f "$TARBALL" ] || mvn_q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz" -DoutputDirectory="$WORK" >/dev/null
KARAF_HOME="$WORK/apache-karaf-$KARAF_VERSION"
OUT="$WORK/out"
rm -rf "$KARAF_HOME" "$OUT" "$WORK/route"
tar xzf "$TARBALL"
mkdir -p "$OUT"
log "unpacked $KARAF_HOME"

# free local ports for SSH and JMX/RMI, so several instances (and other Karafs) can run side by side;
# below the kernel's ephemeral range, which outgoing connections draw from: there, a client polling
# the SSH port before Karaf listens can be given that very port as its own (a TCP self-connect), and
# Karaf's bind then fails with "Address already in use"
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
EPHEMERAL_LOW=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$EPHEMERAL_LOW" -gt 21000 ] 2>/dev/null || EPHEMERAL_LOW=32768
free_port() { # free_port ports-to-avoid...
    local p
    while :; do
        p=$((20000 + RANDOM % (EPHEMERAL_LOW - 20000)))
        case " $* " in *" $p "*) continue ;; esac
        port_in_use "$p" || { echo "$p"; return; }
    done
}
SSH_PORT=$(free_port)
RMI_REGISTRY_PORT=$(free_port "$SSH_PORT")
RMI_SERVER_PORT=$(free_port "$SSH_PORT" "$RMI_REGISTRY_PORT")
sed -i -e "s/^sshPort *=.*/sshPort = $SSH_PORT/" -e "s/^sshHost *=.*/sshHost = 127.0.0.1/" "$KARAF_HOME/etc/org.apache.karaf.shell.cfg"
sed -i -e "s/^rmiRegistryPort *=.*/rmiRegistryPort = $RMI_REGISTRY_PORT/" -e "s/^rmiServerPort *=.*/rmiServerPort = $RMI_SERVER_PORT/" \
    "$KARAF_HOME/etc/org.apache.karaf.management.cfg"
# a shell user for bin/client (Karaf 4.4 ships none; the roles of its commented-out admingroup)
printf '\nsmoke = smoke,group,admin,manager,viewer,systembundles,ssh\n' >> "$KARAF_HOME/etc/users.properties"
# mvn: URLs: the local Maven repository (wherever it is, snapshots included), then Central only
cat > "$KARAF_HOME/etc/org.ops4j.pax.url.mvn.cfg" <<EOF
org.ops4j.pax.url.mvn.certificateCheck=true
org.ops4j.pax.url.mvn.useFallbackRepositories=false
org.ops4j.pax.url.mvn.localRepository=$M2_REPO
org.ops4j.pax.url.mvn.defaultRepositories=\\
    \${karaf.home.uri}\${karaf.default.repository}@id=system.repository@snapshots, \\
    \${karaf.data.uri}kar@id=kar.repository@multi@snapshots, \\
    file:$M2_REPO@id=local@snapshots
org.ops4j.pax.url.mvn.repositories=$CENTRAL@id=central
org.ops4j.pax.url.mvn.timeout=10000
org.ops4j.pax.url.mvn.socket.connectionTimeout=10000
org.ops4j.pax.url.mvn.socket.readTimeout=60000
org.ops4j.pax.url.mvn.connection.retryCount=3
EOF

if [ "$CAMEL_MODE" != camel-karaf ]; then
    # the stand-in repository replaces camel-karaf's outright (a stand-in next to the real one is not enough:
    # Karaf still pulls in the real camel-core through its `shell` conditional)
    CAMEL_KARAF_FEATURES=$M2_REPO/org/apache/camel/karaf/apache-camel/$CAMEL_KARAF_VERSION/apache-camel-$CAMEL_KARAF_VERSION-features.xml
    [ -f "$CAMEL_KARAF_FEATURES" ] || mvn_q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get -Dtransitive=false \
        -Dartifact="org.apache.camel.karaf:apache-camel:$CAMEL_KARAF_VERSION:xml:features" >/dev/null
    awk '/<feature name="(jackson|http-client)" /{p=1} p{print} p&&/^[[:space:]]*<\/feature>[[:space:]]*$/{p=0}' "$CAMEL_KARAF_FEATURES" > "$WORK/library-features.xml"
    sed -e "s/@CAMEL_VERSION@/$CAMEL_VERSION/g" -e "s/@CAMEL_KARAF_VERSION@/$CAMEL_KARAF_VERSION/g" -e "/@LIBRARY_FEATURES@ -->/{r $WORK/library-features.xml" -e "d}" \
        "$HERE/smoke-camel-features.xml" > "$WORK/smoke-camel-features.xml"
    cat > "$KARAF_HOME/etc/org.apache.karaf.features.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<featuresProcessing xmlns="http://karaf.apache.org/xmlns/features-processing/v1.0.0">
    <blacklistedRepositories>
        <repository>mvn:org.apache.camel.karaf/apache-camel/$CAMEL_KARAF_VERSION/xml/features</repository>
    </blacklistedRepositories>
</featuresProcessing>
EOF
fi

# ---- processes we start, stopped on any exit
SIM_PID=""
KARAF_PID=""
stop_pid() { # pid name
    local pid=$1 i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    log "$2 ($pid) did not stop in 30 s: killing it"
    kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    set +e
    if [ "$rc" -ne 0 ]; then
        echo "----- karaf-smoke FAILED (exit $rc) after $((SECONDS - START)) s; last lines of data/log/karaf.log:" >&2
        tail -n 80 "$KARAF_HOME/data/log/karaf.log" >&2 2>/dev/null
        echo "----- simulator log:" >&2
        tail -n 20 "$WORK/simulator.log" >&2 2>/dev/null
    fi
    stop_pid "$KARAF_PID" Karaf
    stop_pid "$SIM_PID" simulator
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for <seconds> <description> <command...>: polls every 0.5 s, fails after the bound
wait_for() {
    local limit=$1 what=$2 deadline
    shift 2
    deadline=$((SECONDS + limit))
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || { log "timed out after $limit s waiting for $what"; return 1; }
        sleep 0.5
    done
}

# ---- the simulator, on a port of its own choosing
java -jar "$SIM_JAR" --port 0 --any-key --queue-time 50ms --run-time 200ms --image-scale 0.25 > "$WORK/simulator.log" 2>&1 &
SIM_PID=$!
sim_listening() { kill -0 "$SIM_PID" 2>/dev/null || { log "simulator exited"; exit 1; }; grep -q 'listening on http' "$WORK/simulator.log"; }
wait_for 30 "the simulator" sim_listening
SIM_URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/simulator.log" | head -1)
log "simulator $SIM_URL (pid $SIM_PID)"

# the route bundle's settings (framework properties)
printf '\nflux.smoke.baseUrl = %s\nflux.smoke.out = %s\n' "$SIM_URL" "$OUT" >> "$KARAF_HOME/etc/system.properties"

# ---- Karaf, in the background (exec: the PID is Karaf's JVM)
(cd "$KARAF_HOME" && KARAF_EXEC=exec exec bin/karaf server clean) > "$WORK/karaf-console.log" 2>&1 < /dev/null &
KARAF_PID=$!
log "Karaf starting (pid $KARAF_PID, ssh port $SSH_PORT)"

kc() { # Karaf shell commands through bin/client, in batch mode (stdin); exit code non-zero when one fails
    printf '%s\n' "$@" | timeout 900 "$KARAF_HOME/bin/client" -b -h 127.0.0.1 -a "$SSH_PORT" -u smoke -p smoke 2>&1 \
        | grep -v 'JAVA_HOME not set'
    return "${PIPESTATUS[1]}"
}
karaf_ready() {
    kill -0 "$KARAF_PID" 2>/dev/null || { log "Karaf exited"; exit 1; }
    kc "bundle:list -t 0 --no-format" 2>/dev/null | grep -q 'Apache Karaf :: Features :: Command'
}
wait_for 180 "the Karaf shell" karaf_ready
log "Karaf shell up"

# ---- the feature, as a user installs it
if [ "$CAMEL_MODE" != camel-karaf ]; then
    kc "feature:repo-add file:$WORK/smoke-camel-features.xml"
fi
REPO_URL="mvn:io.github.fluxkontext/camel-flux-kontext-karaf/$PROJECT_VERSION/xml/features"
kc "feature:repo-add $REPO_URL"
kc "feature:install camel-flux-kontext" || { log "feature:install camel-flux-kontext failed"; exit 1; }
kc "feature:list -i --no-format" | grep -E '^(camel-flux-kontext|camel-core|camel-jackson|http-client|jackson)[[:space:]]' \
    || { log "feature camel-flux-kontext is not installed"; exit 1; }
kc "feature:list -i --no-format" | grep -qE '^camel-flux-kontext[[:space:]]' || { log "feature camel-flux-kontext is not installed"; exit 1; }
BUNDLE_LINE=$(kc "bundle:list -s -t 0 --no-format" | grep 'io.github.fluxkontext.camel-flux-kontext' || true)
echo "$BUNDLE_LINE"
case "$BUNDLE_LINE" in
    *Active*) ;;
    *) log "the component bundle is not Active"; kc "bundle:diag io.github.fluxkontext.camel-flux-kontext" || true; exit 1 ;;
esac
log "feature camel-flux-kontext installed, bundle Active"

# ---- the route bundle: compiled here against the Camel of the container, hot-deployed
CP=""
for a in camel-api camel-util camel-support camel-base camel-base-engine camel-core-engine camel-core-model camel-management-api; do
    CP="$CP:$(m2_jar org.apache.camel "$a" "$CAMEL_VERSION")"
done
CP="$CP:$(m2_jar org.apache.camel.karaf camel-core-osgi "$CAMEL_KARAF_VERSION")"
CP="$CP:$(ls "$KARAF_HOME"/system/org/apache/felix/org.apache.felix.framework/*/org.apache.felix.framework-*.jar | head -1)"
mkdir -p "$WORK/route/classes"
javac -nowarn --release 17 -cp "${CP#:}" -d "$WORK/route/classes" \
    "$HERE/route/io/github/fluxkontext/karaf/smoke/SmokeRouteActivator.java"
jar cfm "$WORK/route/flux-kontext-smoke-route.jar" "$HERE/route/MANIFEST.MF" -C "$WORK/route/classes" .
mv "$WORK/route/flux-kontext-smoke-route.jar" "$KARAF_HOME/deploy/"
log "route bundle deployed; waiting up to $WAIT s for $OUT/smoke.png"
image_written() { kill -0 "$KARAF_PID" 2>/dev/null || { log "Karaf exited"; exit 1; }; [ -s "$OUT/smoke.png" ]; }
wait_for "$WAIT" "the image" image_written || { kc "bundle:list -t 0" || true; exit 1; }

# ---- the image decodes
if command -v file >/dev/null 2>&1; then file "$OUT/smoke.png"; fi
java -Djava.awt.headless=true "$HERE/ImageCheck.java" "$OUT/smoke.png"
route_logged() { grep -q 'flux-kontext smoke: image written' "$KARAF_HOME/data/log/karaf.log"; }
wait_for 10 "the route's log line" route_logged

log "PASSED: flux-kontext:text-to-image ran in Karaf $KARAF_VERSION (camel-karaf $CAMEL_KARAF_VERSION, $CAMEL_MODE) and wrote a decodable image"
