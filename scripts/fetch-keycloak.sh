#!/usr/bin/env bash
# Fetches Keycloak (org.keycloak:keycloak-quarkus-dist) from Maven Central into .cache/keycloak/
# (git-ignored) and unpacks it. Does nothing when it is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${KEYCLOAK_VERSION:-26.5.6}"
dir=".cache/keycloak"
if [ -x "$dir/keycloak-$version/bin/kc.sh" ]; then exit 0; fi
mkdir -p "$dir"
if [ ! -f "$dir/keycloak-quarkus-dist-$version.zip" ]; then
  echo "fetch-keycloak: downloading keycloak-quarkus-dist $version from Maven Central (~160 MB)" >&2
  # An explicit plugin version: Maven 3.8's default dependency plugin is too old for this.
  mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    "-Dartifact=org.keycloak:keycloak-quarkus-dist:$version:zip" "-DoutputDirectory=$dir"
fi
unzip -q -o "$dir/keycloak-quarkus-dist-$version.zip" -d "$dir"
echo "fetch-keycloak: Keycloak $version is in $dir/keycloak-$version" >&2
